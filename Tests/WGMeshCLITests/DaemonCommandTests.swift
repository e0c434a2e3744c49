import Glibc
import Testing
import WGMeshAgent
@testable import WGMeshCLI
import WGMeshTestSupport

/// `wgmeshd`'s command line: parsing, help, and refusing bad input before
/// anything on the machine is touched.
@Suite struct DaemonCommandTests {
    /// The debug build of `wgmeshd`; `swift build --build-tests` builds it.
    static func binary() throws -> String {
        let path = DatastoreCLIFixture.packageRoot + "/.build/debug/wgmeshd"
        try #require(access(path, X_OK) == 0, "\(path) is missing: run swift build --product wgmeshd first")
        return path
    }

    @Test func everyFlagReachesTheLoader() throws {
        let command = try WGMeshDaemonCommand.parse([
            "--node-name", "n1", "--datastore", "etcd://10.0.0.1", "--etcd-ca", "/ca.pem", "--etcd-cert", "/c.pem",
            "--etcd-key", "/k.pem", "--etcd-user", "u", "--etcd-password-file", "/p",
            "--address", "192.0.2.1", "--address", "2001:db8::1", "--label", "zone=a", "--labels", "rack=1,tier=x",
            "--interface", "wgm0", "--listen-port", "51000", "--wireguard-backend", "kernel", "--state-dir", "/s",
            "--metrics-address", "[::1]:9090", "--control-socket", "/c.sock", "--pod-cidr", "10.244.0.0/24",
            "--pod-cidr", "fd00::/64", "--mtu", "1400", "--fwmark", "0x200", "--routing-table", "7",
            "--rule-priority", "8", "--resync-interval", "9", "--liveness-ttl", "10", "--log-level", "debug",
            "--config", "/etc/w.yaml", "--cleanup",
        ])
        var expected = AgentConfigFlags()
        expected.nodeName = "n1"
        expected.datastore = "etcd://10.0.0.1"
        expected.etcdCA = "/ca.pem"
        expected.etcdCert = "/c.pem"
        expected.etcdKey = "/k.pem"
        expected.etcdUser = "u"
        expected.etcdPasswordFile = "/p"
        expected.addresses = ["192.0.2.1", "2001:db8::1"]
        expected.labels = ["zone=a", "rack=1,tier=x"]
        expected.interface = "wgm0"
        expected.listenPort = "51000"
        expected.wireguardBackend = "kernel"
        expected.stateDir = "/s"
        expected.metricsAddress = "[::1]:9090"
        expected.controlSocket = "/c.sock"
        expected.podCIDRs = ["10.244.0.0/24", "fd00::/64"]
        expected.mtu = "1400"
        expected.fwmark = "0x200"
        expected.routingTable = "7"
        expected.rulePriority = "8"
        expected.resyncInterval = "9"
        expected.livenessTTL = "10"
        expected.logLevel = "debug"
        expected.configFile = "/etc/w.yaml"
        #expect(command.flags == expected)
        #expect(command.cleanup)
    }

    @Test func noFlagsLeaveEverythingToTheOtherSources() throws {
        let command = try WGMeshDaemonCommand.parse([])
        #expect(command.flags == AgentConfigFlags())
        #expect(!command.cleanup)
    }

    @Test func parsedCommandBuildsAConfig() throws {
        let command = try WGMeshDaemonCommand.parse(["--node-name", "n1", "--listen-port", "51000"])
        let config = try command.loadConfig(environment: ["WGMESH_MTU": "1400"])
        #expect(config.nodeName == "n1")
        #expect(config.listenPort == 51000)
        #expect(config.mtu == 1400)
    }

    @Test func helpNamesEveryFlagItsVariableAndTheShutdownRules() throws {
        let result = try runProcess(try Self.binary(), ["--help"])
        #expect(result.status == 0)
        let help = result.standardOutput
        let flags = ["--node-name", "--datastore", "--etcd-ca", "--etcd-cert", "--etcd-key", "--etcd-user",
                     "--etcd-password-file", "--address", "--label", "--labels", "--interface", "--listen-port",
                     "--wireguard-backend", "--state-dir", "--metrics-address", "--control-socket", "--pod-cidr",
                     "--mtu", "--fwmark", "--routing-table", "--rule-priority", "--resync-interval",
                     "--liveness-ttl", "--log-level", "--config", "--cleanup"]
        for flag in flags {
            #expect(help.contains(flag + " ") || help.contains(flag + "\n"), "help lacks \(flag)")
        }
        let variables = ["NODE_NAME", "DATASTORE", "ETCD_CA", "ETCD_CERT", "ETCD_KEY", "ETCD_USER",
                         "ETCD_PASSWORD_FILE", "ADDRESS", "LABELS", "INTERFACE", "LISTEN_PORT", "WIREGUARD_BACKEND",
                         "STATE_DIR", "METRICS_ADDRESS", "CONTROL_SOCKET", "POD_CIDRS", "MTU", "FWMARK",
                         "ROUTING_TABLE", "RULE_PRIORITY", "RESYNC_INTERVAL", "LIVENESS_TTL", "LOG_LEVEL", "CONFIG"]
        let flat = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for variable in variables {
            #expect(flat.contains("$WGMESH_" + variable), "help lacks $WGMESH_\(variable)")
        }
        for words in ["else 51820", "else wgmesh0", "default: /var/lib/wgmesh", "default: /run/wgmesh/wgmeshd.sock",
                      "default: 0x100000", "default: 51821", "default: 99", "default: 90", "default: 30",
                      "default: auto", "default: info", "SIGTERM", "--cleanup removes"] {
            #expect(flat.contains(words), "help lacks '\(words)'")
        }
    }

    @Test func badValueExitsTwoAndTouchesNothing() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmeshd-cli")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let stateDir = directory + "/state"
        let socket = directory + "/run/wgmeshd.sock"
        let result = try runProcess(try Self.binary(), [
            "--node-name", "n1", "--listen-port", "0", "--state-dir", stateDir, "--control-socket", socket,
            "--datastore", "sqlite://\(directory)/store.db",
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--listen-port: 0 is out of range; give a port from 1 to 65535"),
                "\(result.standardError)")
        #expect(access(stateDir, F_OK) != 0, "the state directory was created")
        #expect(access(directory + "/run", F_OK) != 0, "the socket's directory was created")
        #expect(access(directory + "/store.db", F_OK) != 0, "the datastore was created")
    }

    @Test func missingConfigFileExitsTwo() throws {
        let result = try runProcess(try Self.binary(), ["--node-name", "n1", "--config", "/nonexistent/wgmeshd.yaml"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--config: cannot read /nonexistent/wgmeshd.yaml"))
    }
}
