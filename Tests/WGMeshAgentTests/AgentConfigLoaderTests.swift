import Logging
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshWireGuard

/// Loads a config from the three sources, with a fixed hostname and
/// working directory so nothing depends on the machine.
func loadConfig(_ flags: AgentConfigFlags = AgentConfigFlags(), environment: [String: String] = [:],
                file: String? = nil, path: String = "/etc/wgmesh/wgmeshd.yaml",
                hostname: String? = "host-a") throws(AgentError) -> AgentConfig
{
    try AgentConfigLoader.load(flags: flags, environment: environment,
                               file: file.map { AgentConfigLoader.File(path: path, text: $0) },
                               hostname: hostname, currentDirectory: "/srv")
}

/// The reason of the error a load throws, or nil when it succeeds.
func loadProblem(_ flags: AgentConfigFlags = AgentConfigFlags(), environment: [String: String] = [:],
                 file: String? = nil, hostname: String? = "host-a") -> String?
{
    do {
        _ = try loadConfig(flags, environment: environment, file: file, hostname: hostname)
        return nil
    } catch {
        #expect(error.code == .invalidConfiguration)
        return error.reason
    }
}

@Suite struct AgentConfigLoaderTests {
    @Test func defaultsWhenNothingIsGiven() throws {
        let config = try loadConfig()
        #expect(config == AgentConfig(nodeName: "host-a", datastore: "sqlite:///var/lib/wgmesh/datastore.db"))
        #expect(config.stateDirectory == "/var/lib/wgmesh")
        #expect(config.controlSocket == "/run/wgmesh/wgmeshd.sock")
        #expect(config.fwmark == 0x10_0000)
        #expect(config.routingTable == 51821)
        #expect(config.rulePriority == 99)
        #expect(config.resyncInterval == .seconds(90))
        #expect(config.livenessTTL == 30)
        #expect(config.logLevel == .info)
        #expect(config.backend == .auto)
        #expect(config.interfaceName == nil && config.listenPort == nil && config.mtu == nil)
    }

    @Test func hostnameDefaultIsLowerCased() throws {
        #expect(try loadConfig(hostname: "Worker-7").nodeName == "worker-7")
    }

    @Test func hostnameThatIsNoNodeNameAsksForTheFlag() {
        let problem = loadProblem(hostname: "bad_host")
        #expect(problem?.contains("hostname 'bad_host'") == true)
        #expect(problem?.contains("--node-name") == true)
        #expect(problem?.contains("WGMESH_NODE_NAME") == true)
    }

    @Test func noHostnameAsksForTheFlag() {
        #expect(loadProblem(hostname: nil)?.contains("set --node-name") == true)
    }

    @Test func aGivenNodeNameNeedsNoHostname() throws {
        var flags = AgentConfigFlags()
        flags.nodeName = "node-1"
        #expect(try loadConfig(flags, hostname: nil).nodeName == "node-1")
    }

    /// For each key: the flag beats the variable, which beats the file, which beats the default.
    @Test(arguments: [
        ("listenPort", "WGMESH_LISTEN_PORT", "51001", "51002", "51003"),
        ("mtu", "WGMESH_MTU", "1400", "1401", "1402"),
        ("nodeName", "WGMESH_NODE_NAME", "from-flag", "from-env", "from-file"),
        ("logLevel", "WGMESH_LOG_LEVEL", "debug", "warning", "error"),
        ("routingTable", "WGMESH_ROUTING_TABLE", "100", "200", "300"),
    ])
    func precedence(key: String, variable: String, flagValue: String, envValue: String, fileValue: String) throws {
        var flags = AgentConfigFlags()
        switch key {
        case "listenPort": flags.listenPort = flagValue
        case "mtu": flags.mtu = flagValue
        case "nodeName": flags.nodeName = flagValue
        case "logLevel": flags.logLevel = flagValue
        default: flags.routingTable = flagValue
        }
        let environment = [variable: envValue]
        let file = "\(key): \(fileValue)\n"
        func shown(_ config: AgentConfig) -> String {
            switch key {
            case "listenPort": config.listenPort.map { String($0) } ?? "nil"
            case "mtu": config.mtu.map { String($0) } ?? "nil"
            case "nodeName": config.nodeName
            case "logLevel": config.logLevel.rawValue
            default: String(config.routingTable)
            }
        }
        #expect(shown(try loadConfig(flags, environment: environment, file: file)) == flagValue)
        #expect(shown(try loadConfig(environment: environment, file: file)) == envValue)
        #expect(shown(try loadConfig(file: file)) == fileValue)
        #expect(shown(try loadConfig()) == shown(AgentConfig(nodeName: "host-a", datastore: "")))
    }

    @Test func listsAreTakenWholeFromTheWinningSource() throws {
        var flags = AgentConfigFlags()
        flags.podCIDRs = ["10.244.9.0/24"]
        let environment = ["WGMESH_POD_CIDRS": "10.244.1.0/24, fd00:10:244:1::/64"]
        let file = "podCIDRs: [10.244.2.0/24]\n"
        #expect(try loadConfig(flags, environment: environment, file: file).podCIDRs
                == [try IPNetwork("10.244.9.0/24")])
        #expect(try loadConfig(environment: environment, file: file).podCIDRs
                == [try IPNetwork("10.244.1.0/24"), try IPNetwork("fd00:10:244:1::/64")])
        #expect(try loadConfig(file: file).podCIDRs == [try IPNetwork("10.244.2.0/24")])
    }

    @Test func labelsFromFlagsEnvironmentAndFile() throws {
        var flags = AgentConfigFlags()
        flags.labels = ["zone=a", "rack=r1,tier=edge"]
        #expect(try loadConfig(flags).labels == ["zone": "a", "rack": "r1", "tier": "edge"])
        #expect(try loadConfig(environment: ["WGMESH_LABELS": "zone=b,example.com/gpu=true"]).labels
                == ["zone": "b", "example.com/gpu": "true"])
        #expect(try loadConfig(file: "labels:\n  zone: c\n").labels == ["zone": "c"])
    }

    @Test func everySettingFromFlags() throws {
        var flags = AgentConfigFlags()
        flags.nodeName = "n1"
        flags.datastore = "etcds://10.0.0.1:2379,[fd00::1]:2379"
        flags.etcdCA = "/etc/wgmesh/ca.pem"
        flags.etcdCert = "/etc/wgmesh/n1.pem"
        flags.etcdKey = "/etc/wgmesh/n1-key.pem"
        flags.etcdUser = "node-n1"
        flags.etcdPasswordFile = "/etc/wgmesh/password"
        flags.addresses = ["192.0.2.10", "2001:db8::10"]
        flags.interface = "wgm1"
        flags.listenPort = "51900"
        flags.wireguardBackend = "userspace"
        flags.stateDir = "/tmp/wgmesh-state"
        flags.metricsAddress = "[::1]:9090"
        flags.controlSocket = "/tmp/wgmesh.sock"
        flags.mtu = "1420"
        flags.fwmark = "0x200000"
        flags.routingTable = "4242"
        flags.rulePriority = "100"
        flags.resyncInterval = "30"
        flags.livenessTTL = "60"
        flags.logLevel = "TRACE"
        let config = try loadConfig(flags)
        #expect(config.datastore == "etcds://10.0.0.1:2379,[fd00::1]:2379")
        #expect(config.datastoreCredentials.caFile == "/etc/wgmesh/ca.pem")
        #expect(config.datastoreCredentials.username == "node-n1")
        #expect(config.datastoreCredentials.passwordFile == "/etc/wgmesh/password")
        #expect(config.addresses == [try IPAddress("192.0.2.10"), try IPAddress("2001:db8::10")])
        #expect(config.interfaceName == "wgm1")
        #expect(config.listenPort == 51900)
        #expect(config.backend == .userspace)
        #expect(config.stateDirectory == "/tmp/wgmesh-state")
        #expect(config.metricsAddress == "[::1]:9090")
        #expect(config.controlSocket == "/tmp/wgmesh.sock")
        #expect(config.mtu == 1420)
        #expect(config.fwmark == 0x20_0000)
        #expect(config.routingTable == 4242)
        #expect(config.rulePriority == 100)
        #expect(config.resyncInterval == .seconds(30))
        #expect(config.livenessTTL == 60)
        #expect(config.logLevel == .trace)
    }

    @Test func relativeSQLitePathIsMadeAbsolute() throws {
        #expect(try loadConfig(environment: ["WGMESH_DATASTORE": "sqlite:data/store.db"]).datastore
                == "sqlite:///srv/data/store.db")
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let config = try loadConfig(environment: ["WGMESH_LISTEN_PORT": "", "WGMESH_NODE_NAME": ""],
                                    file: "listenPort: 51111\n")
        #expect(config.listenPort == 51111)
        #expect(config.nodeName == "host-a")
    }

    @Test func configFileComesFromTheFlagThenTheVariable() {
        var flags = AgentConfigFlags()
        #expect(AgentConfigLoader.configFilePath(flags: flags, environment: [:]) == nil)
        let environment = ["WGMESH_CONFIG": "/etc/b.yaml"]
        #expect(AgentConfigLoader.configFilePath(flags: flags, environment: environment)?.source == "WGMESH_CONFIG")
        flags.configFile = "/etc/a.yaml"
        let chosen = AgentConfigLoader.configFilePath(flags: flags, environment: environment)
        #expect(chosen?.path == "/etc/a.yaml" && chosen?.source == "--config")
    }
}
