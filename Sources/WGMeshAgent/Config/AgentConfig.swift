public import Logging
public import WGMeshCore
public import WGMeshWireGuard
public import WGMeshDatastoreConnect

/// Everything `wgmeshd` runs with, after flags, `WGMESH_*` variables and the
/// YAML file were merged (flags win, then the environment, then the file)
/// and checked. Building one never touches the system.
public struct AgentConfig: Sendable, Equatable {
    /// This node's name in the datastore (default: the hostname).
    public var nodeName: String
    /// The datastore URL, as `--datastore` takes it.
    public var datastore: String
    /// etcd credentials (CA, client certificate, user and password file).
    public var datastoreCredentials: DatastoreCredentials
    /// Underlay addresses to publish; empty means "the address of the
    /// interface holding the default route", found at start.
    public var addresses: [IPAddress]
    /// Labels published on this node's Node, which selectors match.
    public var labels: [String: String]
    /// The WireGuard interface; nil means the EncryptionConfig's (default `wgmesh0`).
    public var interfaceName: InterfaceName?
    /// The WireGuard UDP port; nil means the EncryptionConfig's (default 51820).
    public var listenPort: UInt16?
    /// Which WireGuard implementation to use.
    public var backend: BackendPreference
    /// Where the private key lives (`<stateDirectory>/private.key`, 0600).
    public var stateDirectory: String
    /// Where `/metrics` is served (`host:port`); nil serves nothing.
    public var metricsAddress: String?
    /// The unix socket local commands talk to the daemon through.
    public var controlSocket: String
    /// Pod CIDRs to claim instead of picking blocks from the pools; each
    /// must be a block-aligned CIDR inside a pool.
    public var podCIDRs: [IPNetwork]
    /// The interface MTU; nil means the EncryptionConfig's, else the
    /// underlay's minus WireGuard's overhead.
    public var mtu: Int?
    /// The fwmark bit the device stamps on its own UDP packets; the routing
    /// rule skips the wgmesh table for packets carrying it.
    public var fwmark: UInt32
    /// The routing table holding routes through the interface.
    public var routingTable: UInt32
    /// The priority of the fwmark rule.
    public var rulePriority: UInt32
    /// How often the slow drift check reads the kernel back.
    public var resyncInterval: Duration
    /// Seconds the liveness lease lives without a keepalive.
    public var livenessTTL: Int64
    /// How often the key is rotated on a schedule; nil rotates only on request.
    public var keyRotationInterval: Duration?
    /// How often this node's peer status is written to the datastore (when it changed).
    public var statusInterval: Duration
    /// The log level.
    public var logLevel: Logger.Level

    /// The defaults, for `nodeName` and `datastore` as given.
    public init(nodeName: String, datastore: String) {
        self.nodeName = nodeName
        self.datastore = datastore
        datastoreCredentials = DatastoreCredentials()
        addresses = []
        labels = [:]
        interfaceName = nil
        listenPort = nil
        backend = .auto
        stateDirectory = Self.defaultStateDirectory
        metricsAddress = nil
        controlSocket = Self.defaultControlSocket
        podCIDRs = []
        mtu = nil
        fwmark = Self.defaultFwmark
        routingTable = Self.defaultRoutingTable
        rulePriority = Self.defaultRulePriority
        resyncInterval = .seconds(90)
        livenessTTL = 30
        keyRotationInterval = nil
        statusInterval = .seconds(30)
        logLevel = .info
    }

    /// `/var/lib/wgmesh`.
    public static let defaultStateDirectory = "/var/lib/wgmesh"
    /// `/run/wgmesh/wgmeshd.sock`.
    public static let defaultControlSocket = "/run/wgmesh/wgmeshd.sock"
    /// 0x100000, one bit, as Calico takes one bit of its mark mask.
    public static let defaultFwmark: UInt32 = 0x0010_0000
    /// Table 51821: clear of wg-quick's 51820 and of the named tables 253-255.
    public static let defaultRoutingTable: UInt32 = 51821
    /// 99, Calico's priority: before `main` (32766).
    public static let defaultRulePriority: UInt32 = 99
    /// The key file's name inside the state directory.
    public static let privateKeyFileName = "private.key"
}
