public import ArgumentParser
import WGMeshAgent
internal import WGMeshCore

/// `wgmeshd`, the node service: keeps this node's WireGuard peers, routes and
/// rules in step with the datastore.
///
/// Every option is taken as text and checked by ``AgentConfigLoader``, so a
/// flag, a `WGMESH_*` variable and a file key share one set of rules and one
/// style of error, and a wrong value exits with status 2 before anything on
/// the machine is touched.
public struct WGMeshDaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wgmeshd",
        abstract: "The wgmesh node service: encrypts pod traffic between nodes with WireGuard.",
        discussion: """
            On start wgmeshd loads this node's private key from the state directory (creating it, mode 0600, \
            on first start), claims pod address blocks from the IP pools (or takes --pod-cidr), and publishes \
            the node (public key, addresses, blocks, a liveness lease) in the datastore. It creates the \
            WireGuard interface, or adopts a correct one without changing it, and then keeps one peer per \
            other node, with allowed IPs and routes in its own routing table, in step with the datastore: \
            on every change, plus a slow check that repairs drift.

            Settings come from flags, then WGMESH_* environment variables, then the YAML file given by \
            --config or $WGMESH_CONFIG (keys: nodeName, datastore, etcd {ca, cert, key, user, passwordFile}, \
            addresses, labels, interface, listenPort, wireguardBackend, stateDir, metricsAddress, \
            controlSocket, podCIDRs, mtu, fwmark, routingTable, rulePriority, resyncInterval, livenessTTL, \
            keyRotationInterval, statusInterval, logLevel), then the defaults. A wrong value is reported with its source, and wgmeshd exits \
            with status 2 before touching anything.

            SIGTERM or SIGINT stops the service but leaves the interface, peers, routes and rules in place, \
            so traffic keeps flowing while it restarts. wgmeshd --cleanup removes everything wgmesh created \
            on this node (routes, rules, the interface, endpoint veths) and leaves the datastore alone.
            """,
        version: WGMeshVersion.current)

    @OptionGroup var datastoreOptions: DatastoreOptions

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "YAML file of settings (else $WGMESH_CONFIG; default: none).", valueName: "file"))
    var configFile: String?

    @Option(name: .customLong("node-name"), help: ArgumentHelp(
        "This node's name in the datastore (else $WGMESH_NODE_NAME; default: the hostname, lower-cased).",
        valueName: "name"))
    var nodeName: String?

    @Option(name: .customLong("address"), help: ArgumentHelp(
        "Underlay address peers reach this node at; repeat for IPv4 and IPv6 (else $WGMESH_ADDRESS, "
            + "comma-separated; default: the address of the interface holding the default route).",
        valueName: "ip"))
    var addresses: [String] = []

    @Option(name: .customLong("label"), help: ArgumentHelp(
        "A label on this node's Node, matched by selectors; repeatable (else $WGMESH_LABELS; default: none).",
        valueName: "key=value"))
    var label: [String] = []

    @Option(name: .customLong("labels"), help: ArgumentHelp(
        "Several labels at once (else $WGMESH_LABELS; default: none).", valueName: "k=v,k=v"))
    var labels: [String] = []

    @Option(name: .customLong("interface"), help: ArgumentHelp(
        "The WireGuard interface (else $WGMESH_INTERFACE; default: the EncryptionConfig's, else wgmesh0).",
        valueName: "name"))
    var interface: String?

    @Option(name: .customLong("listen-port"), help: ArgumentHelp(
        "WireGuard's UDP port, 1-65535 (else $WGMESH_LISTEN_PORT; default: the EncryptionConfig's, else 51820).",
        valueName: "port"))
    var listenPort: String?

    @Option(name: .customLong("wireguard-backend"), help: ArgumentHelp(
        "auto, kernel or userspace (wireguard-go) (else $WGMESH_WIREGUARD_BACKEND; default: auto).",
        valueName: "backend"))
    var wireguardBackend: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp(
        "Absolute directory for the private key and owned state (else $WGMESH_STATE_DIR; default: /var/lib/wgmesh).",
        valueName: "dir"))
    var stateDir: String?

    @Option(name: .customLong("metrics-address"), help: ArgumentHelp(
        "Serve /metrics on host:port, IPv6 as [::1]:9090 (else $WGMESH_METRICS_ADDRESS; default: not served).",
        valueName: "host:port"))
    var metricsAddress: String?

    @Option(name: .customLong("control-socket"), help: ArgumentHelp(
        "Unix socket for local wgmesh commands (else $WGMESH_CONTROL_SOCKET; default: /run/wgmesh/wgmeshd.sock).",
        valueName: "path"))
    var controlSocket: String?

    @Option(name: .customLong("pod-cidr"), help: ArgumentHelp(
        "A pod CIDR to claim instead of blocks from the pools; repeatable (else $WGMESH_POD_CIDRS, "
            + "comma-separated; default: blocks from the pools).",
        valueName: "cidr"))
    var podCIDRs: [String] = []

    @Option(name: .customLong("mtu"), help: ArgumentHelp(
        "Interface MTU, 1280-65535 (else $WGMESH_MTU; default: the EncryptionConfig's, else the underlay's "
            + "minus 60 for IPv4 or 80 for IPv6).",
        valueName: "bytes"))
    var mtu: String?

    @Option(name: .customLong("fwmark"), help: ArgumentHelp(
        "The one-bit mark on WireGuard's own packets, decimal or 0x hex (else $WGMESH_FWMARK; default: 0x100000).",
        valueName: "mark"))
    var fwmark: String?

    @Option(name: .customLong("routing-table"), help: ArgumentHelp(
        "Routing table for encrypted destinations, not 253-255 (else $WGMESH_ROUTING_TABLE; default: 51821).",
        valueName: "id"))
    var routingTable: String?

    @Option(name: .customLong("rule-priority"), help: ArgumentHelp(
        "Priority of the fwmark rule, 1-32765 (else $WGMESH_RULE_PRIORITY; default: 99).", valueName: "priority"))
    var rulePriority: String?

    @Option(name: .customLong("resync-interval"), help: ArgumentHelp(
        "Seconds between drift checks, 5-86400 (else $WGMESH_RESYNC_INTERVAL; default: 90).", valueName: "seconds"))
    var resyncInterval: String?

    @Option(name: .customLong("liveness-ttl"), help: ArgumentHelp(
        "Seconds the liveness lease outlives a silent node, 5-3600 (else $WGMESH_LIVENESS_TTL; default: 30).",
        valueName: "seconds"))
    var livenessTTL: String?

    @Option(name: .customLong("key-rotation-interval"), help: ArgumentHelp(
        "Rotate the WireGuard key this often: seconds, or a number with s, m, h or d (24h, 30d); at least 1m, "
            + "0 turns it off (else $WGMESH_KEY_ROTATION_INTERVAL; default: 0, rotate only on request).",
        valueName: "interval"))
    var keyRotationInterval: String?

    @Option(name: .customLong("status-interval"), help: ArgumentHelp(
        "Seconds between checks of this node's peer status, which is written to the datastore when it "
            + "changed, 5-3600 (else $WGMESH_STATUS_INTERVAL; default: 30).",
        valueName: "seconds"))
    var statusInterval: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp(
        "trace, debug, info, notice, warning, error or critical (else $WGMESH_LOG_LEVEL; default: info).",
        valueName: "level"))
    var logLevel: String?

    @Flag(name: .customLong("cleanup"), help: ArgumentHelp(
        "Remove everything wgmesh created on this node, print what was removed, and exit."))
    var cleanup = false

    public init() {}

    public func run() async throws {
        let config: AgentConfig
        do {
            config = try loadConfig(environment: ProcessEnvironment.wgmeshVariables())
        } catch {
            WGOutput.printError("wgmeshd: \(error.reason)")
            throw ExitCode(Self.badInputStatus)
        }
        try await DaemonRunner.run(config: config, cleanup: cleanup)
    }
}
