import Glibc
import WGMeshAgent

extension WGMeshDaemonCommand {
    /// The command line as the loader takes it: text, unchecked.
    var flags: AgentConfigFlags {
        var flags = AgentConfigFlags()
        flags.nodeName = nodeName
        flags.datastore = datastoreOptions.datastore
        flags.etcdCA = datastoreOptions.etcdCA
        flags.etcdCert = datastoreOptions.etcdCert
        flags.etcdKey = datastoreOptions.etcdKey
        flags.etcdUser = datastoreOptions.etcdUser
        flags.etcdPasswordFile = datastoreOptions.etcdPasswordFile
        flags.addresses = addresses
        flags.labels = label + labels
        flags.interface = interface
        flags.listenPort = listenPort
        flags.wireguardBackend = wireguardBackend
        flags.stateDir = stateDir
        flags.metricsAddress = metricsAddress
        flags.controlSocket = controlSocket
        flags.podCIDRs = podCIDRs
        flags.mtu = mtu
        flags.fwmark = fwmark
        flags.routingTable = routingTable
        flags.rulePriority = rulePriority
        flags.resyncInterval = resyncInterval
        flags.livenessTTL = livenessTTL
        flags.keyRotationInterval = keyRotationInterval
        flags.statusInterval = statusInterval
        flags.logLevel = logLevel
        flags.configFile = configFile
        return flags
    }

    /// Reads the config file, if one is named, and merges everything. Only
    /// reads: the state directory and the datastore are left untouched.
    func loadConfig(environment: [String: String]) throws(AgentError) -> AgentConfig {
        let flags = flags
        let file = try AgentConfigLoader.readConfigFile(flags: flags, environment: environment)
        return try AgentConfigLoader.load(flags: flags, environment: environment, file: file,
                                          hostname: Hostname.current())
    }
}

/// The process's `WGMESH_*` variables, read once, so the loader stays a pure function.
enum ProcessEnvironment {
    /// Every set variable whose name starts with `WGMESH_`.
    static func wgmeshVariables() -> [String: String] {
        var result: [String: String] = [:]
        var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if text.hasPrefix("WGMESH_"), let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
