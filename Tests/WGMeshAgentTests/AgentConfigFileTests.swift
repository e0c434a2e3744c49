import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshTestSupport

/// The YAML file: every key, unknown keys, wrong types, and reading it.
@Suite struct AgentConfigFileTests {
    @Test func everyKeyFromTheFile() throws {
        let file = """
            nodeName: node-b
            datastore: etcd://10.0.0.1
            etcd:
              ca: /etc/wgmesh/ca.pem
              cert: /etc/wgmesh/b.pem
              key: /etc/wgmesh/b-key.pem
              user: node-b
              passwordFile: /etc/wgmesh/password
            addresses: [192.0.2.11, "2001:db8::11"]
            labels:
              zone: a
            interface: wgm0
            listenPort: 51830
            wireguardBackend: kernel
            stateDir: /srv/wgmesh
            metricsAddress: 127.0.0.1:9091
            controlSocket: /run/wgm.sock
            podCIDRs:
              - 10.244.3.0/24
            mtu: 1380
            fwmark: 0x400000
            routingTable: 1000
            rulePriority: 50
            resyncInterval: 600
            livenessTTL: 45
            logLevel: notice

            """
        let config = try loadConfig(file: file)
        #expect(config.nodeName == "node-b")
        #expect(config.datastore == "etcd://10.0.0.1:2379")
        #expect(config.datastoreCredentials.certFile == "/etc/wgmesh/b.pem")
        #expect(config.datastoreCredentials.keyFile == "/etc/wgmesh/b-key.pem")
        #expect(config.datastoreCredentials.passwordFile == "/etc/wgmesh/password")
        #expect(config.addresses.count == 2)
        #expect(config.labels == ["zone": "a"])
        #expect(config.interfaceName == "wgm0")
        #expect(config.listenPort == 51830)
        #expect(config.backend == .kernel)
        #expect(config.stateDirectory == "/srv/wgmesh")
        #expect(config.metricsAddress == "127.0.0.1:9091")
        #expect(config.controlSocket == "/run/wgm.sock")
        #expect(config.podCIDRs == [try IPNetwork("10.244.3.0/24")])
        #expect(config.mtu == 1380)
        #expect(config.fwmark == 0x40_0000)
        #expect(config.routingTable == 1000)
        #expect(config.rulePriority == 50)
        #expect(config.resyncInterval == .seconds(600))
        #expect(config.livenessTTL == 45)
        #expect(config.logLevel == .notice)
    }

    @Test func unknownKeyNamesFileLineAndTheKnownKeys() throws {
        let problem = try #require(loadProblem(file: "nodeName: a\nlistenport: 51820\n"))
        #expect(problem.hasPrefix("/etc/wgmesh/wgmeshd.yaml: listenport (line 2): unknown key; use one of nodeName, "))
        #expect(problem.contains("listenPort"))
        #expect(problem.contains("logLevel"))
    }

    @Test func unknownEtcdKeyListsEtcdKeys() throws {
        let problem = try #require(loadProblem(file: "etcd:\n  password: hunter2\n"))
        #expect(problem == "/etc/wgmesh/wgmeshd.yaml: etcd.password (line 2): unknown key; "
                + "etcd takes ca, cert, key, user, passwordFile")
    }

    @Test(arguments: [
        ("listenPort: \"51820\"\n", "listenPort (line 1): expected a whole number, got a string; write a plain number"),
        ("listenPort: [1]\n", "listenPort (line 1): expected a whole number, got a list"),
        ("nodeName: 42\n", "nodeName (line 1): expected a string, got an integer; quote the value"),
        ("addresses: 192.0.2.1\n", "addresses (line 1): expected a list, got a string; write one '- item' per line"),
        ("podCIDRs: [10.0.0.0/8, 7]\n", "podCIDRs[1] (line 1): expected a string, got an integer; quote it"),
        ("labels:\n  gpu: true\n", "labels.gpu (line 2): expected a string, got a boolean; quote it, e.g. gpu: \"true\""),
        ("etcd: /etc/ca.pem\n", "etcd (line 1): expected a mapping"),
    ])
    func wrongType(file: String, expected: String) throws {
        let problem = try #require(loadProblem(file: file))
        #expect(problem.hasPrefix("/etc/wgmesh/wgmeshd.yaml: " + expected), "\(problem)")
    }

    @Test func syntaxErrorNamesTheFile() throws {
        let problem = try #require(loadProblem(file: "listenPort: [1\n"))
        #expect(problem.hasPrefix("/etc/wgmesh/wgmeshd.yaml: "))
        #expect(problem.contains("line"))
        #expect(problem.hasSuffix("fix the YAML"))
    }

    @Test func notAMappingIsRefused() throws {
        let problem = try #require(loadProblem(file: "- listenPort\n"))
        #expect(problem.contains("it is a list, not a mapping"))
    }

    @Test func emptyFileAndNullValuesGiveDefaults() throws {
        #expect(try loadConfig(file: "") == loadConfig())
        #expect(try loadConfig(file: "# nothing yet\nmtu:\n").mtu == nil)
    }

    @Test func readsAFileOfAnyMode() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-config")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let path = directory + "/wgmeshd.yaml"
        let text = "listenPort: 51999\n"
        let descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
        try #require(descriptor >= 0)
        _ = text.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
        var flags = AgentConfigFlags()
        flags.configFile = path
        let file = try #require(try AgentConfigLoader.readConfigFile(flags: flags, environment: [:]))
        #expect(file == AgentConfigLoader.File(path: path, text: text))
    }

    @Test func missingFileNamesTheSourceAndTheFix() throws {
        do {
            _ = try AgentConfigLoader.readConfigFile(flags: AgentConfigFlags(),
                                                     environment: ["WGMESH_CONFIG": "/nonexistent/wgmeshd.yaml"])
            Issue.record("a missing file was read")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.reason.hasPrefix("WGMESH_CONFIG: cannot read /nonexistent/wgmeshd.yaml: "))
            #expect(error.reason.contains("create it or point WGMESH_CONFIG at the right file"))
        }
    }

    @Test func aDirectoryIsNotAConfigFile() throws {
        do {
            _ = try AgentConfigLoader.readConfigFile("/", source: "--config")
            Issue.record("a directory was read")
        } catch {
            #expect(error.reason.contains("not a directory"), "\(error.reason)")
        }
    }
}
