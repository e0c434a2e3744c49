internal import ArgumentParser
internal import Glibc
internal import Logging
internal import WGMeshDatastore
internal import WGMeshDatastoreConnect

/// Where the datastore is and how to log in to it: shared by `apply`, `get`,
/// `delete` and `datastore`.
///
/// Each option falls back to an environment variable, then to a default, so
/// a node can keep its settings in a systemd environment file.
struct DatastoreOptions: ParsableArguments {
    @Option(name: .customLong("datastore"), help: ArgumentHelp(
        "The datastore URL (else $WGMESH_DATASTORE, else \(DatastoreURL.defaultText)).",
        discussion: """
            sqlite:///absolute/path or sqlite:relative/path: the embedded store, one file on this machine. \
            etcd://host:port[,host:port...]: an etcd cluster (IPv6 as [::1]:2379, default port 2379). \
            etcds://...: etcd over TLS.
            """,
        valueName: "url"))
    var datastore: String?

    @Option(name: .customLong("etcd-ca"), help: ArgumentHelp(
        "PEM file of CAs to trust for etcds:// (else $WGMESH_ETCD_CA).", valueName: "file"))
    var etcdCA: String?

    @Option(name: .customLong("etcd-cert"), help: ArgumentHelp(
        "PEM client certificate for etcds:// (else $WGMESH_ETCD_CERT).", valueName: "file"))
    var etcdCert: String?

    @Option(name: .customLong("etcd-key"), help: ArgumentHelp(
        "PEM private key of --etcd-cert (else $WGMESH_ETCD_KEY).", valueName: "file"))
    var etcdKey: String?

    @Option(name: .customLong("etcd-user"), help: ArgumentHelp(
        "etcd user name (else $WGMESH_ETCD_USER).", valueName: "name"))
    var etcdUser: String?

    @Option(name: .customLong("etcd-password-file"), help: ArgumentHelp(
        "File holding the etcd user's password, mode 0600 (else $WGMESH_ETCD_PASSWORD_FILE).", valueName: "file"))
    var etcdPasswordFile: String?

    /// Creates the options; ArgumentParser fills them from the command line.
    init() {}

    /// The URL from the option, the environment or the default.
    func url() throws(DatastoreError) -> DatastoreURL {
        try DatastoreURL(parsing: datastore ?? Self.environment("WGMESH_DATASTORE") ?? DatastoreURL.defaultText)
    }

    /// The credentials from the options and the environment.
    func credentials() -> DatastoreCredentials {
        DatastoreCredentials(
            caFile: etcdCA ?? Self.environment("WGMESH_ETCD_CA"),
            certFile: etcdCert ?? Self.environment("WGMESH_ETCD_CERT"),
            keyFile: etcdKey ?? Self.environment("WGMESH_ETCD_KEY"),
            username: etcdUser ?? Self.environment("WGMESH_ETCD_USER"),
            passwordFile: etcdPasswordFile ?? Self.environment("WGMESH_ETCD_PASSWORD_FILE"))
    }

    /// Opens the datastore these options name; a missing SQLite file is
    /// created only when `creating` (apply), else it is an error.
    func connect(creating: Bool = false) async throws -> any Datastore {
        try await DatastoreConnector.connect(url: try url(), credentials: credentials(), createIfMissing: creating,
                                             logger: Self.logger)
    }

    /// Runs `body` with a typed store over the datastore, closing it after.
    func withStore<T>(creating: Bool = false, _ body: (ResourceStore) async throws -> T) async throws -> T {
        let datastore = try await connect(creating: creating)
        let store = ResourceStore(datastore: datastore, logger: Self.logger)
        return try await datastore.closing { try await body(store) }
    }

    /// Only errors reach the terminal: the commands report rejected records
    /// and outcomes themselves, in their own words.
    static let logger: Logger = {
        var logger = Logger(label: "wgmesh", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .error
        return logger
    }()

    /// A set, non-empty environment variable.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
