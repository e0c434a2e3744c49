public import WGMeshCore
public import Logging
import Synchronization
import WGMeshRouting
import WGMeshWireGuard

/// The real ``Dataplane``: WireGuard over ``WireGuardClient`` (kernel or
/// wireguard-go), links, addresses, routes and rules over rtnetlink.
///
/// Every call runs under one lock, so calls from several threads take turns:
/// the caches and the owned-peer list are only consistent that way.
public final class LinuxDataplane: Dataplane, @unchecked Sendable {
    /// What the last apply left, so an apply without `verify` need not read
    /// thousands of peers and routes back from the kernel.
    struct State {
        /// Keys of peers this dataplane programmed; nil until read from the state directory.
        var ownedPeers: Set<WireGuardKey>?
        /// The device as the last apply left it, wgmesh's peers only.
        var device: WireGuardDevice?
        /// The wgmesh routes in our table as the last apply left them.
        var routes: [Route]?

        /// Forgets what the kernel was thought to hold, so the next apply reads it.
        mutating func dropCaches() {
            device = nil
            routes = nil
        }
    }

    /// The settings it was made with.
    public let settings: DataplaneSettings
    let logger: Logger
    let wireGuard: WireGuardClient
    let peerFile: OwnedPeerFile?
    let state = Mutex(State())

    /// Creates a dataplane; nothing is changed until a method is called.
    public init(settings: DataplaneSettings, logger: Logger) {
        self.settings = settings
        var logger = logger
        logger[metadataKey: "interface"] = "\(settings.interfaceName)"
        self.logger = logger
        wireGuard = WireGuardClient(preference: settings.backend)
        peerFile = settings.stateDirectory.map { OwnedPeerFile(stateDirectory: $0) }
    }

    public func readDevice() throws -> WireGuardDevice {
        try step("reading \(settings.interfaceName)") { try wireGuard.device(named: settings.interfaceName.rawValue) }
    }

    @discardableResult
    public func apply(_ plan: MeshPlan, verify: Bool) throws -> ApplySummary {
        try state.withLock { state throws -> ApplySummary in
            var summary = ApplySummary()
            do {
                try applyLocked(plan, verify: verify, state: &state, summary: &summary)
            } catch {
                // Whatever failed may have half-happened: trust nothing cached.
                state.dropCaches()
                logger.warning("apply stopped", metadata: ["error": "\(error)", "changes": "\(summary.logLine)"])
                throw error
            }
            if !summary.isEmpty { logger.info("applied the mesh plan", metadata: ["changes": "\(summary.logLine)"]) }
            return summary
        }
    }

    /// The steps in their safe order: a rule for a family that loses its
    /// routes goes first, so no packet is steered into a table being emptied;
    /// new rules go last, once the routes they lead to exist.
    private func applyLocked(_ plan: MeshPlan, verify: Bool, state: inout State, summary: inout ApplySummary) throws {
        let routing = try step("opening rtnetlink") { try RoutingClient() }
        try step("removing rules") { try removeRules(keeping: plan.ruleFamilies, routing, &summary) }
        try step("configuring \(settings.interfaceName)") { try applyDevice(plan.device, verify: verify, &state, &summary) }
        try step("setting addresses on \(settings.interfaceName)") {
            try applyAddresses(plan.interfaceAddresses, routing, &summary)
        }
        let link = try step("setting MTU \(plan.mtu) on \(settings.interfaceName)") {
            try applyLink(mtu: plan.mtu, routing, &summary)
        }
        try step("routing table \(settings.routingTable)") {
            try applyRoutes(plan.routes, outputInterface: link.index, verify: verify, routing, &state, &summary)
        }
        try step("adding rules") { try addRules(plan.ruleFamilies, routing, &summary) }
    }

    /// Runs `body`, turning a failure into "<what> failed: <reason>"; the
    /// agent's own errors (the state directory) pass through as they are.
    func step<T>(_ what: String, _ body: () throws -> T) throws -> T {
        try AgentError.naming(what, body)
    }
}

extension ApplySummary {
    /// One line for the logs.
    fileprivate var logLine: String {
        "peers +\(peersAdded) ~\(peersChanged) -\(peersRemoved), routes +\(routesAdded) -\(routesRemoved), other \(otherChanges)"
    }
}
