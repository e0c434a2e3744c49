import Testing
import WGMeshAgent

/// Every wrong value is refused with a message that names where it came
/// from and says what to give instead.
@Suite struct AgentConfigValidationTests {
    /// A variable, its bad value, and words the message must hold (the fix).
    @Test(arguments: [
        ("WGMESH_NODE_NAME", "Node_1", ["'Node_1' is not a valid node name", "lower-case"]),
        ("WGMESH_DATASTORE", "mysql://db", ["mysql", "sqlite:///"]),
        ("WGMESH_ADDRESS", "192.0.2.300", ["'192.0.2.300' is not an IP address", "give one like"]),
        ("WGMESH_ADDRESS", "192.0.2.1,192.0.2.2", ["both IPv4", "at most one IPv4 and one IPv6"]),
        ("WGMESH_ADDRESS", "127.0.0.1", ["loopback", "peers reach"]),
        ("WGMESH_LABELS", "zone", ["'zone' is not key=value", "key=value"]),
        ("WGMESH_LABELS", "-bad=x", ["label key '-bad'", "start and end"]),
        ("WGMESH_INTERFACE", "a/b", ["invalid interface name 'a/b'", "e.g. wgmesh0"]),
        ("WGMESH_INTERFACE", "interface-name-too-long", ["Linux allows at most 15", "1-15 characters"]),
        ("WGMESH_LISTEN_PORT", "0", ["0 is out of range", "from 1 to 65535"]),
        ("WGMESH_LISTEN_PORT", "65536", ["65536 is out of range", "from 1 to 65535"]),
        ("WGMESH_LISTEN_PORT", "http", ["'http' is not a whole number", "from 1 to 65535"]),
        ("WGMESH_WIREGUARD_BACKEND", "boringtun", ["'boringtun' is not a backend", "auto, kernel, userspace"]),
        ("WGMESH_STATE_DIR", "var/lib/wgmesh", ["not an absolute path", "starting with '/'"]),
        ("WGMESH_METRICS_ADDRESS", "::1:9090", ["IPv6 host goes in brackets", "[::1]:9090"]),
        ("WGMESH_METRICS_ADDRESS", "localhost", ["has no port", "host:port"]),
        ("WGMESH_METRICS_ADDRESS", "127.0.0.1:0", ["'0' is not a port", "1-65535"]),
        ("WGMESH_METRICS_ADDRESS", "[10.0.0.1]:9090", ["not an IPv6 address", "[::1]:9090"]),
        ("WGMESH_CONTROL_SOCKET", "wgmeshd.sock", ["not an absolute path", "starting with '/'"]),
        ("WGMESH_CONTROL_SOCKET", "/" + String(repeating: "s", count: 107), ["108 bytes", "at most 107"]),
        ("WGMESH_POD_CIDRS", "10.244.1.7/24", ["host bits set", "use 10.244.1.0/24"]),
        ("WGMESH_POD_CIDRS", "10.244.1.0/24,10.244.1.0/24", ["listed twice", "keep one"]),
        ("WGMESH_POD_CIDRS", "10.244.1.0", ["'10.244.1.0' is not a CIDR", "10.244.1.0/24"]),
        ("WGMESH_MTU", "1279", ["1279 is out of range", "from 1280 to 65535"]),
        ("WGMESH_FWMARK", "0x300000", ["exactly one bit", "power of two"]),
        ("WGMESH_FWMARK", "0", ["exactly one bit", "0x100000"]),
        ("WGMESH_FWMARK", "0xZZ", ["not a 32-bit number", "0x hex"]),
        ("WGMESH_ROUTING_TABLE", "254", ["kernel's own", "pick another"]),
        ("WGMESH_ROUTING_TABLE", "0", ["0 is out of range", "from 1 to 4294967295"]),
        ("WGMESH_RULE_PRIORITY", "32766", ["32766 is out of range", "from 1 to 32765"]),
        ("WGMESH_RESYNC_INTERVAL", "4", ["4 is out of range", "from 5 to 86400"]),
        ("WGMESH_LIVENESS_TTL", "3601", ["3601 is out of range", "from 5 to 3600"]),
        ("WGMESH_LOG_LEVEL", "verbose", ["'verbose' is not a log level", "trace, debug, info"]),
    ])
    func badVariable(variable: String, value: String, words: [String]) throws {
        let problem = try #require(loadProblem(environment: [variable: value]))
        #expect(problem.hasPrefix("\(variable): "), "\(problem)")
        for word in words {
            #expect(problem.contains(word), "\(problem) lacks \(word)")
        }
    }

    @Test func theFlagIsNamedWhenTheFlagIsWrong() throws {
        var flags = AgentConfigFlags()
        flags.listenPort = "0"
        let problem = try #require(loadProblem(flags, environment: ["WGMESH_LISTEN_PORT": "51820"]))
        #expect(problem == "--listen-port: 0 is out of range; give a port from 1 to 65535")
    }

    @Test func aWrongValueThatIsOverriddenIsNotReported() throws {
        var flags = AgentConfigFlags()
        flags.mtu = "1400"
        #expect(try loadConfig(flags, environment: ["WGMESH_MTU": "9"]).mtu == 1400)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        var flags = AgentConfigFlags()
        flags.listenPort = "0"
        flags.fwmark = "3"
        let problem = try #require(loadProblem(flags, environment: ["WGMESH_LOG_LEVEL": "loud"],
                                               file: "mtu: 10\n"))
        #expect(problem.hasPrefix("the configuration has 4 problems; fix each:"))
        for source in ["--listen-port:", "--fwmark:", "WGMESH_LOG_LEVEL:", "/etc/wgmesh/wgmeshd.yaml: mtu (line 1):"] {
            #expect(problem.contains("\n  - " + source), "\(problem) lacks \(source)")
        }
    }

    @Test func repeatedLabelIsRefused() throws {
        var flags = AgentConfigFlags()
        flags.labels = ["zone=a", "zone=b"]
        let problem = try #require(loadProblem(flags))
        #expect(problem == "--label/--labels: label 'zone' is given twice; keep one")
    }

    @Test func metricsAddressesThatAreAccepted() throws {
        for address in ["127.0.0.1:9090", "[::1]:9090", "localhost:9100", "0.0.0.0:1"] {
            #expect(try loadConfig(environment: ["WGMESH_METRICS_ADDRESS": address]).metricsAddress == address)
        }
    }

    @Test func fwmarkInDecimal() throws {
        #expect(try loadConfig(environment: ["WGMESH_FWMARK": "1048576"]).fwmark == 0x10_0000)
    }
}
