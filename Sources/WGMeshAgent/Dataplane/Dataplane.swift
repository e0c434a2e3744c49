public import WGMeshCore
public import WGMeshWireGuard

/// The fixed facts the dataplane is built with: names, numbers and the
/// backend, taken from ``AgentConfig`` and the EncryptionConfig at start.
public struct DataplaneSettings: Sendable, Equatable {
    /// The WireGuard interface.
    public var interfaceName: InterfaceName
    /// Which WireGuard implementation may back it.
    public var backend: BackendPreference
    /// The fwmark bit (device mark, and the rule's mark and mask).
    public var fwmark: UInt32
    /// The wgmesh routing table.
    public var routingTable: UInt32
    /// The rule's priority.
    public var rulePriority: UInt32
    /// Where the dataplane remembers which peers it programmed (so peers it
    /// did not create are left alone, across restarts too); nil keeps that
    /// in memory only.
    public var stateDirectory: String?

    /// Creates settings.
    public init(interfaceName: InterfaceName, backend: BackendPreference = .auto,
                fwmark: UInt32 = AgentConfig.defaultFwmark, routingTable: UInt32 = AgentConfig.defaultRoutingTable,
                rulePriority: UInt32 = AgentConfig.defaultRulePriority, stateDirectory: String? = nil)
    {
        self.stateDirectory = stateDirectory
        self.interfaceName = interfaceName
        self.backend = backend
        self.fwmark = fwmark
        self.routingTable = routingTable
        self.rulePriority = rulePriority
    }
}

/// The underlay this node talks to its peers over.
public struct Underlay: Sendable, Equatable {
    /// The addresses to publish (configured, or found on the default route's link).
    public var addresses: [IPAddress]
    /// The link holding the first address.
    public var linkName: String
    /// That link's MTU.
    public var mtu: Int

    /// Creates an underlay description.
    public init(addresses: [IPAddress], linkName: String, mtu: Int) {
        self.addresses = addresses
        self.linkName = linkName
        self.mtu = mtu
    }
}

/// What ``Dataplane/prepareInterface()`` found or made.
public struct PreparedInterface: Sendable, Equatable {
    /// The implementation behind the interface.
    public var kind: WireGuardBackendKind
    /// Whether it was created now (false: an existing one was adopted as is).
    public var created: Bool
    /// The device as read right after.
    public var device: WireGuardDevice

    /// Creates a report.
    public init(kind: WireGuardBackendKind, created: Bool, device: WireGuardDevice) {
        self.kind = kind
        self.created = created
        self.device = device
    }
}

/// What one ``Dataplane/apply(_:verify:)`` changed, for logs, tests and metrics.
public struct ApplySummary: Sendable, Equatable {
    /// Peers created.
    public var peersAdded: Int = 0
    /// Peers whose endpoint, keepalive or allowed IPs changed.
    public var peersChanged: Int = 0
    /// Peers removed.
    public var peersRemoved: Int = 0
    /// Routes added or replaced in the wgmesh table.
    public var routesAdded: Int = 0
    /// Routes removed from the wgmesh table.
    public var routesRemoved: Int = 0
    /// Interface addresses, MTU, link state, rules or device fields changed.
    public var otherChanges: Int = 0

    /// Creates an empty summary.
    public init() {}

    /// Whether nothing was changed.
    public var isEmpty: Bool { self == ApplySummary() }
}

/// The kernel side of the node service: the WireGuard interface, its
/// addresses, the wgmesh routing table and the fwmark rule.
///
/// Implementations change only what differs from the plan, and only what
/// wgmesh owns: routes in its table carrying ``RouteProtocol/wgmesh``, its
/// own rule, and peers it programmed. Everything else is left alone.
/// Calls block on sockets: call them off the cooperative pool's hot path.
public protocol Dataplane: Sendable {
    /// The underlay: `configured` addresses (checked to exist here), or the
    /// addresses of the link holding the default route when empty.
    func underlay(configured: [IPAddress]) throws -> Underlay

    /// Creates the interface, or adopts the one already there without
    /// changing it (so a restart drops nothing).
    func prepareInterface() throws -> PreparedInterface

    /// The device as the implementation reports it now.
    func readDevice() throws -> WireGuardDevice

    /// Makes the dataplane match `plan`. With `verify` it reads the kernel
    /// first (the drift check); without, it diffs against what it applied last.
    @discardableResult
    func apply(_ plan: MeshPlan, verify: Bool) throws -> ApplySummary

    /// Makes WireGuard send a keepalive to each of `peers` now, which starts
    /// a handshake when the peer has no session: after a key change the side
    /// that switched last must not wait for WireGuard's 5 s handshake retry.
    /// Peers not on the device are skipped; each keeps its planned keepalive.
    func kick(_ peers: [WireGuardKey]) throws

    /// Removes everything wgmesh made on this node: its routes, its rules and
    /// the interface (peers emptied first). Returns one line per thing removed.
    func cleanup() throws -> [String]
}
