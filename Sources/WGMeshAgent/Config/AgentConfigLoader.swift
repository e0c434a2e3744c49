import WGMeshCore
import WGMeshDatastore
import WGMeshDatastoreConnect
import WGMeshResources

/// Builds wgmeshd's ``AgentConfig`` from flags, `WGMESH_*` variables and
/// the YAML file (in that order of precedence, over the defaults), checking
/// every value and reporting every problem in one error.
///
/// ``load(flags:environment:file:hostname:currentDirectory:)`` is a pure
/// function of its arguments: reading the file (``readConfigFile(_:)``) and
/// asking the system for its hostname are the caller's steps, so a wrong
/// value is refused before anything on the machine is touched.
public enum AgentConfigLoader {
    /// The config file's text and where it was read from (named in errors).
    public struct File: Sendable, Equatable {
        /// The path, as given.
        public var path: String
        /// The file's contents.
        public var text: String
        /// Creates a file.
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// Merges the sources into a checked config.
    ///
    /// - Parameters:
    ///   - hostname: the default node name (lower-cased); nil when the system has none.
    ///   - currentDirectory: what a relative `sqlite:` path is resolved
    ///     against; nil uses the process's working directory.
    public static func load(flags: AgentConfigFlags, environment: [String: String], file: File?,
                            hostname: String?, currentDirectory: String? = nil) throws(AgentError) -> AgentConfig
    {
        var problems = ConfigProblems()
        var layers = ConfigLayers()
        layers.flags = ConfigLayers.flagLayer(flags, problems: &problems)
        layers.environment = ConfigLayers.environmentLayer(environment, problems: &problems)
        if let file {
            layers.file = ConfigFileLayer.parse(file.text, path: file.path, problems: &problems)
        }
        let config = build(layers, hostname: hostname, currentDirectory: currentDirectory, problems: &problems)
        if let error = problems.error { throw error }
        return config
    }

    /// The config file to read: `--config`, else `WGMESH_CONFIG`, else none;
    /// with the source to name if it cannot be read.
    public static func configFilePath(flags: AgentConfigFlags, environment: [String: String])
        -> (path: String, source: String)?
    {
        if let path = flags.configFile { return (path, "--config") }
        if let path = environment[ConfigKey.configEnvironment], !path.isEmpty {
            return (path, ConfigKey.configEnvironment)
        }
        return nil
    }

    private static func build(_ layers: ConfigLayers, hostname: String?, currentDirectory: String?,
                              problems: inout ConfigProblems) -> AgentConfig
    {
        let nodeName = resolveNodeName(layers, hostname: hostname, problems: &problems)
        let datastore = resolveDatastore(layers, currentDirectory: currentDirectory, problems: &problems)
        var config = AgentConfig(nodeName: nodeName, datastore: datastore)
        config.datastoreCredentials = credentials(layers, problems: &problems)

        func take<T>(_ key: ConfigKey, _ parse: (ConfigValue, inout ConfigProblems) -> T?) -> T? {
            layers.value(key).flatMap { parse($0, &problems) }
        }
        func number(_ key: ConfigKey, _ range: ClosedRange<UInt64>, _ what: String) -> UInt64? {
            take(key) { ConfigParsers.integer($0, in: range, what: what, &$1) }
        }

        if let value = take(.addresses, ConfigParsers.addresses) { config.addresses = value }
        if let value = take(.labels, ConfigParsers.labels) { config.labels = value }
        if let value = take(.interface, ConfigParsers.interfaceName) { config.interfaceName = value }
        if let value = number(.listenPort, 1...65535, "a port") { config.listenPort = UInt16(value) }
        if let value = take(.wireguardBackend, ConfigParsers.backend) { config.backend = value }
        if let value = take(.stateDir, { ConfigParsers.absolutePath($0, what: "a directory", &$1) }) {
            config.stateDirectory = value
        }
        if let value = take(.metricsAddress, ConfigParsers.metricsAddress) { config.metricsAddress = value }
        if let value = take(.controlSocket, {
            ConfigParsers.absolutePath($0, limit: maxSocketPathBytes, what: "socket path", &$1)
        }) {
            config.controlSocket = value
        }
        if let value = take(.podCIDRs, ConfigParsers.podCIDRs) { config.podCIDRs = value }
        let mtuRange = UInt64(EncryptionConfig.mtuRange.lowerBound)...UInt64(EncryptionConfig.mtuRange.upperBound)
        if let value = number(.mtu, mtuRange, "an MTU") { config.mtu = Int(value) }
        if let value = take(.fwmark, ConfigParsers.fwmark) { config.fwmark = value }
        if let value = take(.routingTable, ConfigParsers.routingTable) { config.routingTable = value }
        if let value = number(.rulePriority, 1...32765, "a priority") { config.rulePriority = UInt32(value) }
        if let value = number(.resyncInterval, 5...86400, "seconds") { config.resyncInterval = .seconds(value) }
        if let value = number(.livenessTTL, 5...3600, "seconds") { config.livenessTTL = Int64(value) }
        if let value = take(.keyRotationInterval, ConfigParsers.rotationInterval) {
            config.keyRotationInterval = value == .zero ? nil : value
        }
        if let value = number(.statusInterval, 5...3600, "seconds") { config.statusInterval = .seconds(value) }
        if let value = take(.logLevel, ConfigParsers.logLevel) { config.logLevel = value }
        return config
    }

    /// `sun_path` holds 108 bytes, one of them the terminating NUL.
    static let maxSocketPathBytes = 107

    private static func resolveNodeName(_ layers: ConfigLayers, hostname: String?,
                                        problems: inout ConfigProblems) -> String
    {
        if let value = layers.value(.nodeName) {
            return ConfigParsers.nodeName(value, &problems) ?? ""
        }
        let fix = "set --node-name or \(ConfigKey.nodeName.environment)"
        guard let hostname, !hostname.isEmpty else {
            problems.add("node name", "the system has no hostname to default to; \(fix)")
            return ""
        }
        let name = hostname.lowercased()
        if let problem = NameRules.subdomainProblem(name) {
            problems.add("node name", "the hostname '\(hostname)' is not a valid node name (\(problem)); \(fix)")
            return ""
        }
        return name
    }

    private static func resolveDatastore(_ layers: ConfigLayers, currentDirectory: String?,
                                         problems: inout ConfigProblems) -> String
    {
        guard let value = layers.value(.datastore) else { return DatastoreURL.defaultText }
        guard let text = ConfigParsers.text(value, &problems) else { return "" }
        do {
            // The canonical form: a relative sqlite: path becomes absolute
            // here, so the service's later chdir cannot move the store.
            return try DatastoreURL(parsing: text, currentDirectory: currentDirectory).description
        } catch {
            problems.add(value.source, error.reason)
            return ""
        }
    }

    private static func credentials(_ layers: ConfigLayers, problems: inout ConfigProblems) -> DatastoreCredentials {
        func path(_ key: ConfigKey) -> String? {
            guard let value = layers.value(key), let text = ConfigParsers.text(value, &problems) else { return nil }
            if text.isEmpty {
                problems.add(value.source, "it is empty; give a value or leave it out")
                return nil
            }
            return text
        }
        return DatastoreCredentials(caFile: path(.etcdCA), certFile: path(.etcdCert), keyFile: path(.etcdKey),
                                    username: path(.etcdUser), passwordFile: path(.etcdPasswordFile))
    }
}
