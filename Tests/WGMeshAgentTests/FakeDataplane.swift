import Glibc
public import WGMeshAgent
public import WGMeshCore
import WGMeshKeys
public import WGMeshTestSupport
import WGMeshWireGuard
import Synchronization

// Meant for Tests/WGMeshTestSupport once that target depends on WGMeshAgent
// (Package.swift); until then it lives with the tests that use it.

/// A ``Dataplane`` in memory that follows the real one's rules.
///
/// The WireGuard device is a ``FakeWireGuardBackend`` changed through
/// ``WireGuardDiff`` (so an allowed IP is on one peer only, and changes
/// happen in the safe order); routes, interface addresses, the MTU and the
/// rule families are sets. As the real dataplane does, `apply(verify: true)`
/// diffs against the "kernel" and `apply(verify: false)` against what it
/// applied last, so drift made behind its back is repaired only by a verify.
/// It records every apply, can fail the next ones, and can hold applies
/// (blocking the caller) so a test can queue changes meanwhile.
public final class FakeDataplane: Dataplane {
    /// One successful ``apply(_:verify:)``.
    public struct Apply: Sendable {
        /// The plan applied.
        public var plan: MeshPlan
        /// Whether the kernel was read back first.
        public var verify: Bool
        /// What changed.
        public var summary: ApplySummary
    }

    /// The non-WireGuard state the fake keeps as the kernel would.
    public struct Tables: Sendable, Equatable {
        /// Routes in the wgmesh table.
        public var routes: Set<PlannedRoute> = []
        /// The interface's addresses.
        public var addresses: Set<IPNetwork> = []
        /// The interface MTU; nil before the first apply.
        public var mtu: Int?
        /// Families with the fwmark rule.
        public var ruleFamilies: Set<IPAddress.Family> = []
    }

    private struct Storage {
        var tables = Tables()
        /// What the last apply made, which a non-verifying apply diffs against.
        var remembered: (device: WireGuardDevice, tables: Tables)?
        var applies: [Apply] = []
        var failuresLeft = 0
        var failedApplies = 0
        var cleanupCalls = 0
        var kicks: [[WireGuardKey]] = []
        var holding = false
        var waitingAtHold = false
    }

    /// The WireGuard "kernel".
    public let backend: FakeWireGuardBackend
    /// The interface the fake manages.
    public let interfaceName: String
    private let defaultUnderlay: Underlay
    private let storage = Mutex(Storage())

    /// Creates a fake; the interface exists only after ``prepareInterface()``
    /// unless `backend` already holds it.
    public init(interfaceName: String = "wgmesh0", backend: FakeWireGuardBackend? = nil,
                underlay: Underlay = Underlay(addresses: [try! IPAddress("192.0.2.10")], linkName: "eth0", mtu: 1500))
    {
        self.interfaceName = interfaceName
        // The real derivation, so keys agree with WireGuardDiff's own-key check.
        self.backend = backend ?? FakeWireGuardBackend(derivePublicKey: {
            Curve25519.KeyAgreement.PrivateKey(secret: $0).publicKey
        })
        defaultUnderlay = underlay
    }

    // MARK: What tests read

    /// Every successful apply, oldest first.
    public var applies: [Apply] { storage.withLock { $0.applies } }
    /// How many applies failed (injected failures).
    public var failedApplies: Int { storage.withLock { $0.failedApplies } }
    /// Every ``kick(_:)`` call's peers that were on the device, oldest first.
    public var kicks: [[WireGuardKey]] { storage.withLock { $0.kicks } }
    /// How many times ``cleanup()`` ran.
    public var cleanupCalls: Int { storage.withLock { $0.cleanupCalls } }
    /// Routes, addresses, MTU and rules as the "kernel" has them.
    public var tables: Tables { storage.withLock { $0.tables } }
    /// The device as the "kernel" has it; nil before ``prepareInterface()``.
    public var device: WireGuardDevice? { backend.state(of: interfaceName)?.device }
    /// Whether an apply is blocked by ``holdApplies()`` right now.
    public var isHoldingAnApply: Bool { storage.withLock { $0.waitingAtHold } }

    // MARK: What tests do

    /// Makes the next `count` applies throw without changing anything.
    public func failNextApplies(_ count: Int) { storage.withLock { $0.failuresLeft = count } }

    /// Blocks every apply (its thread waits) until ``releaseApplies()``.
    public func holdApplies() { storage.withLock { $0.holding = true } }

    /// Lets held and later applies run.
    public func releaseApplies() { storage.withLock { $0.holding = false } }

    /// Removes peers and routes behind the dataplane's back, as `wg set ...
    /// remove` and `ip route del` would, all at once (no apply runs between).
    public func injectDrift(removingPeers keys: [WireGuardKey] = [], routes destinations: [IPNetwork] = []) throws {
        try storage.withLock { storage in
            let removals = keys.map { PeerConfig(publicKey: $0, remove: true) }
            if !removals.isEmpty { try backend.configure(device: interfaceName, with: DeviceConfig(peers: removals)) }
            storage.tables.routes = storage.tables.routes.filter { !destinations.contains($0.destination) }
        }
    }

    // MARK: Dataplane

    public func underlay(configured: [IPAddress]) throws -> Underlay {
        guard !configured.isEmpty else { return defaultUnderlay }
        return Underlay(addresses: configured, linkName: defaultUnderlay.linkName, mtu: defaultUnderlay.mtu)
    }

    public func prepareInterface() throws -> PreparedInterface {
        if let existing = backend.state(of: interfaceName) {
            return PreparedInterface(kind: backend.kind, created: false, device: existing.device)
        }
        backend.setDevice(WireGuardDevice(name: interfaceName, ifindex: 42))
        return PreparedInterface(kind: backend.kind, created: true, device: try backend.device(named: interfaceName))
    }

    public func readDevice() throws -> WireGuardDevice {
        try backend.device(named: interfaceName)
    }

    @discardableResult
    public func apply(_ plan: MeshPlan, verify: Bool) throws -> ApplySummary {
        waitWhileHeld()
        return try storage.withLock { storage in
            if storage.failuresLeft > 0 {
                storage.failuresLeft -= 1
                storage.failedApplies += 1
                throw AgentError(.dataplane, "injected failure: the fake dataplane was told to fail this apply")
            }
            let kernelDevice = try backend.device(named: interfaceName)
            let base = verify ? (kernelDevice, storage.tables) : (storage.remembered ?? (kernelDevice, storage.tables))
            var summary = try applyDevice(plan.device, from: base.0)
            applyTables(plan, from: base.1, to: &storage.tables, &summary)
            storage.remembered = (remembered(plan.device, kernel: kernelDevice), Self.tables(of: plan))
            storage.applies.append(Apply(plan: plan, verify: verify, summary: summary))
            return summary
        }
    }

    public func kick(_ peers: [WireGuardKey]) throws {
        let present = Set((backend.state(of: interfaceName)?.device.peers ?? []).map(\.publicKey))
        let kicked = peers.filter { present.contains($0) }
        guard !kicked.isEmpty else { return }
        storage.withLock { $0.kicks.append(kicked) }
    }

    public func cleanup() throws -> [String] {
        storage.withLock { storage in
            storage.cleanupCalls += 1
            storage.tables = Tables()
            storage.remembered = nil
        }
        backend.removeDevice(named: interfaceName)
        return ["deleted interface \(interfaceName)"]
    }

    // MARK: Internals

    private func waitWhileHeld() {
        while storage.withLock({ storage in
            storage.waitingAtHold = storage.holding
            return storage.holding
        }) {
            usleep(1000)
        }
    }

    /// Diffs and configures the device; counts peers by key.
    private func applyDevice(_ desired: DesiredDevice, from actual: WireGuardDevice) throws -> ApplySummary {
        let config = try WireGuardDiff.changes(from: actual, to: desired)
        var summary = ApplySummary()
        let before = Set(actual.peers.map(\.publicKey))
        let after = Set(desired.peers.map(\.publicKey))
        summary.peersAdded = after.subtracting(before).count
        summary.peersRemoved = before.subtracting(after).count
        summary.peersChanged = Set(config.peers.filter { !$0.remove }.map(\.publicKey)).intersection(before)
            .intersection(after).count
        summary.otherChanges = [config.privateKey != nil, config.listenPort != nil, config.fwmark != nil]
            .filter { $0 }.count
        if !config.isEmpty { try backend.configure(device: interfaceName, with: config) }
        return summary
    }

    /// Brings the tables from `base` to the plan, changing only what differs.
    private func applyTables(_ plan: MeshPlan, from base: Tables, to kernel: inout Tables,
                             _ summary: inout ApplySummary)
    {
        let desired = Self.tables(of: plan)
        let addedRoutes = desired.routes.subtracting(base.routes)
        let removedRoutes = base.routes.subtracting(desired.routes)
        kernel.routes.subtract(removedRoutes)
        kernel.routes.formUnion(addedRoutes)
        summary.routesAdded = addedRoutes.count
        summary.routesRemoved = removedRoutes.count
        summary.otherChanges += desired.addresses.symmetricDifference(base.addresses).count
            + desired.ruleFamilies.symmetricDifference(base.ruleFamilies).count + (desired.mtu == base.mtu ? 0 : 1)
        kernel.addresses = kernel.addresses.subtracting(base.addresses.subtracting(desired.addresses))
            .union(desired.addresses)
        kernel.ruleFamilies = kernel.ruleFamilies.subtracting(base.ruleFamilies.subtracting(desired.ruleFamilies))
            .union(desired.ruleFamilies)
        if desired.mtu != base.mtu { kernel.mtu = desired.mtu }
    }

    private static func tables(of plan: MeshPlan) -> Tables {
        Tables(routes: Set(plan.routes), addresses: Set(plan.interfaceAddresses), mtu: plan.mtu,
               ruleFamilies: plan.ruleFamilies)
    }

    /// The device as the plan made it, which a non-verifying apply trusts.
    private func remembered(_ desired: DesiredDevice, kernel: WireGuardDevice) -> WireGuardDevice {
        let privateKey = desired.privateKey ?? kernel.privateKey
        return WireGuardDevice(
            name: interfaceName, ifindex: kernel.ifindex, privateKey: privateKey?.clampedForCurve25519,
            publicKey: privateKey.map { Curve25519.KeyAgreement.PrivateKey(secret: $0).publicKey },
            listenPort: desired.listenPort ?? kernel.listenPort, fwmark: desired.fwmark ?? kernel.fwmark,
            peers: desired.peers.map {
                WireGuardPeer(publicKey: $0.publicKey, presharedKey: $0.presharedKey, endpoint: $0.endpoint,
                              persistentKeepalive: $0.persistentKeepalive, allowedIPs: $0.allowedIPs.map(\.masked))
            })
    }
}
