/// One setting of `wgmeshd`: its name in each of the three sources, and the
/// YAML type it takes. The table is the single place that ties a flag to its
/// variable and its file key, so help, errors and lookups cannot drift apart.
struct ConfigKey: Hashable, Sendable {
    /// The YAML shape a file value must have.
    enum Kind: Hashable, Sendable {
        /// A string scalar.
        case string
        /// A whole number.
        case integer
        /// A whole number or a string (`fwmark: 0x100000`).
        case integerOrString
        /// A list of strings; the variable holds a comma list.
        case list
        /// A mapping of strings; the variable holds `k=v,k=v`.
        case map
    }

    /// The key in the YAML file; etcd's keys are dotted (`etcd.ca`).
    let yaml: String
    /// The flag, with its dashes.
    let flag: String
    /// The environment variable.
    let environment: String
    /// The file value's type.
    let kind: Kind

    private init(_ yaml: String, _ flag: String, _ environment: String, _ kind: Kind = .string) {
        self.yaml = yaml
        self.flag = flag
        self.environment = environment
        self.kind = kind
    }

    static let nodeName = ConfigKey("nodeName", "--node-name", "WGMESH_NODE_NAME")
    static let datastore = ConfigKey("datastore", "--datastore", "WGMESH_DATASTORE")
    static let etcdCA = ConfigKey("etcd.ca", "--etcd-ca", "WGMESH_ETCD_CA")
    static let etcdCert = ConfigKey("etcd.cert", "--etcd-cert", "WGMESH_ETCD_CERT")
    static let etcdKey = ConfigKey("etcd.key", "--etcd-key", "WGMESH_ETCD_KEY")
    static let etcdUser = ConfigKey("etcd.user", "--etcd-user", "WGMESH_ETCD_USER")
    static let etcdPasswordFile = ConfigKey("etcd.passwordFile", "--etcd-password-file", "WGMESH_ETCD_PASSWORD_FILE")
    static let addresses = ConfigKey("addresses", "--address", "WGMESH_ADDRESS", .list)
    static let labels = ConfigKey("labels", "--label", "WGMESH_LABELS", .map)
    static let interface = ConfigKey("interface", "--interface", "WGMESH_INTERFACE")
    static let listenPort = ConfigKey("listenPort", "--listen-port", "WGMESH_LISTEN_PORT", .integer)
    static let wireguardBackend = ConfigKey("wireguardBackend", "--wireguard-backend", "WGMESH_WIREGUARD_BACKEND")
    static let stateDir = ConfigKey("stateDir", "--state-dir", "WGMESH_STATE_DIR")
    static let metricsAddress = ConfigKey("metricsAddress", "--metrics-address", "WGMESH_METRICS_ADDRESS")
    static let controlSocket = ConfigKey("controlSocket", "--control-socket", "WGMESH_CONTROL_SOCKET")
    static let podCIDRs = ConfigKey("podCIDRs", "--pod-cidr", "WGMESH_POD_CIDRS", .list)
    static let mtu = ConfigKey("mtu", "--mtu", "WGMESH_MTU", .integer)
    static let fwmark = ConfigKey("fwmark", "--fwmark", "WGMESH_FWMARK", .integerOrString)
    static let routingTable = ConfigKey("routingTable", "--routing-table", "WGMESH_ROUTING_TABLE", .integer)
    static let rulePriority = ConfigKey("rulePriority", "--rule-priority", "WGMESH_RULE_PRIORITY", .integer)
    static let resyncInterval = ConfigKey("resyncInterval", "--resync-interval", "WGMESH_RESYNC_INTERVAL", .integer)
    static let livenessTTL = ConfigKey("livenessTTL", "--liveness-ttl", "WGMESH_LIVENESS_TTL", .integer)
    static let keyRotationInterval = ConfigKey(
        "keyRotationInterval", "--key-rotation-interval", "WGMESH_KEY_ROTATION_INTERVAL", .integerOrString)
    static let statusInterval = ConfigKey("statusInterval", "--status-interval", "WGMESH_STATUS_INTERVAL", .integer)
    static let logLevel = ConfigKey("logLevel", "--log-level", "WGMESH_LOG_LEVEL")

    /// Every setting, in the order help and error messages list them.
    static let all: [ConfigKey] = [
        nodeName, datastore, etcdCA, etcdCert, etcdKey, etcdUser, etcdPasswordFile, addresses, labels, interface,
        listenPort, wireguardBackend, stateDir, metricsAddress, controlSocket, podCIDRs, mtu, fwmark, routingTable,
        rulePriority, resyncInterval, livenessTTL, keyRotationInterval, statusInterval, logLevel,
    ]

    /// The keys a file's top-level mapping may hold (`etcd` groups the etcd ones).
    static let topLevelFileKeys: [String] = {
        var keys: [String] = []
        for key in all {
            let top = key.yaml.split(separator: ".").first.map(String.init) ?? key.yaml
            if !keys.contains(top) { keys.append(top) }
        }
        return keys
    }()

    /// The keys the file's `etcd` mapping may hold.
    static let etcdFileKeys: [String] = all.compactMap {
        $0.yaml.hasPrefix("etcd.") ? String($0.yaml.dropFirst("etcd.".count)) : nil
    }

    /// The setting a YAML path names, if any.
    static func forFile(_ path: String) -> ConfigKey? {
        all.first { $0.yaml == path }
    }

    /// The variable naming the config file.
    static let configEnvironment = "WGMESH_CONFIG"
}
