/// `wgmeshd`'s command-line values exactly as typed, before any checking.
///
/// Everything is text so that ``AgentConfigLoader`` checks flags, variables
/// and file values by the same rules and names the flag in every error; nil
/// (or an empty list) means "not given", so a lower source may supply it.
public struct AgentConfigFlags: Sendable, Equatable {
    /// `--node-name`.
    public var nodeName: String?
    /// `--datastore`.
    public var datastore: String?
    /// `--etcd-ca`.
    public var etcdCA: String?
    /// `--etcd-cert`.
    public var etcdCert: String?
    /// `--etcd-key`.
    public var etcdKey: String?
    /// `--etcd-user`.
    public var etcdUser: String?
    /// `--etcd-password-file`.
    public var etcdPasswordFile: String?
    /// Every `--address`, in order.
    public var addresses: [String] = []
    /// Every `--label k=v` and `--labels k=v,k=v`, in order; each entry may hold a comma list.
    public var labels: [String] = []
    /// `--interface`.
    public var interface: String?
    /// `--listen-port`.
    public var listenPort: String?
    /// `--wireguard-backend`.
    public var wireguardBackend: String?
    /// `--state-dir`.
    public var stateDir: String?
    /// `--metrics-address`.
    public var metricsAddress: String?
    /// `--control-socket`.
    public var controlSocket: String?
    /// Every `--pod-cidr`, in order.
    public var podCIDRs: [String] = []
    /// `--mtu`.
    public var mtu: String?
    /// `--fwmark`.
    public var fwmark: String?
    /// `--routing-table`.
    public var routingTable: String?
    /// `--rule-priority`.
    public var rulePriority: String?
    /// `--resync-interval`.
    public var resyncInterval: String?
    /// `--liveness-ttl`.
    public var livenessTTL: String?
    /// `--key-rotation-interval`.
    public var keyRotationInterval: String?
    /// `--status-interval`.
    public var statusInterval: String?
    /// `--log-level`.
    public var logLevel: String?
    /// `--config`.
    public var configFile: String?

    /// No flags given.
    public init() {}
}
