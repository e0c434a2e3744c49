import Dispatch
import Glibc
import Testing
import WGMeshAgent
@testable import WGMeshCLI
import WGMeshCore
import WGMeshResources
import WGMeshTestSupport

/// `wgmesh status`: options, the table, and the real binary against a
/// control socket that answers `status` with a canned report.
@Suite struct StatusCommandTests {
    static func key(_ byte: UInt8) -> WireGuardKey { try! WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32)) }
    static let now: Int64 = 1_800_000_000

    static func peer(_ name: String?, _ byte: UInt8, _ state: PeerState, handshake: Int64? = nil, rx: UInt64 = 0,
                     tx: UInt64 = 0, ips: [String] = []) -> PeerReport
    {
        PeerReport(nodeName: name, publicKey: key(byte), endpoint: "10.99.0.\(byte):51820",
                   allowedIPs: ips.map { try! IPNetwork($0) }, latestHandshake: handshake.map { now - $0 },
                   receivedBytes: rx, sentBytes: tx, state: state, reason: "because \(state.rawValue)")
    }

    static func status(_ peers: [PeerReport]) -> LocalStatus {
        LocalStatus(nodeName: "n1", interfaceName: "wg0", publicKey: key(1), listenPort: 51820, fwmark: 0x4000,
                    backend: "userspace", mtu: 1420, observedAt: now, peers: peers)
    }

    static let healthy = status([
        peer("n2", 2, .ok, handshake: 12, rx: 2048, tx: 1229, ips: ["10.244.2.0/24", "10.244.2.1/32", "fd00::/122"]),
        peer("n3", 3, .idle, ips: ["10.244.3.0/24"]),
    ])

    static let broken = status([
        peer("n2", 2, .ok, handshake: 252, rx: 2048, tx: 1229, ips: ["10.244.2.0/24"]),
        peer("n3", 3, .never, tx: 148, ips: ["10.244.3.0/24"]),
        peer("n4", 4, .missing, ips: ["10.244.4.0/24"]),
        peer(nil, 9, .unexpected, ips: ["10.250.0.1/32"]),
    ])

    @Test func parsesItsOptions() throws {
        let command = try StatusCommand.parse(["-o", "json", "--control-socket", "/tmp/s.sock", "--node-name", "n1"])
        #expect(command.output == .json)
        #expect(!command.cluster)
        #expect(command.node.resolvedControlSocket() == "/tmp/s.sock")
        #expect(try StatusCommand.parse(["--cluster", "--datastore", "sqlite:///tmp/x.db"]).cluster)
        #expect(try StatusCommand.parse(["--timeout", "30"]).timeout == 30)
        #expect(throws: (any Error).self) { try StatusCommand.parse(["--timeout", "0"]) }
    }

    @Test(arguments: ["yaml", "wide"]) func refusesFormatsWithoutALocalForm(_ format: String) {
        #expect(throws: (any Error).self) { try StatusCommand.parse(["-o", format]) }
    }

    @Test func helpExplainsStatesAndExitCodes() {
        let help = StatusCommand.helpMessage()
        for word in ["stale", "never", "missing", "unexpected", "idle", "Exit codes", "systemctl start wgmeshd"] {
            #expect(help.contains(word), "help lacks \(word)")
        }
    }

    @Test func tableHasTheHeaderBlockAndRows() {
        let text = LocalStatusTable.render(Self.healthy)
        #expect(text == """
            interface:   wg0
            node:        n1
            public key:  \(Self.key(1).base64)
            listen port: 51820
            backend:     userspace
            mtu:         1420
            peers:       2 (1 ok, 1 idle)

            NODE   ENDPOINT          ALLOWED IPS        HANDSHAKE   RX        TX        STATE
            n2     10.99.0.2:51820   10.244.2.0/24 +2   12s ago     2.0 KiB   1.2 KiB   ok
            n3     10.99.0.3:51820   10.244.3.0/24      never       0 B       0 B       idle

            """)
    }

    @Test func unhealthyRowsComeFirstWithTheirReasons() {
        let text = LocalStatusTable.render(Self.broken)
        let rows = text.split(separator: "\n").map(String.init)
        let table = rows.drop { !$0.hasPrefix("NODE") }.dropFirst().prefix(4)
        #expect(table.map { String($0.prefix(2)) } == ["(k", "n4", "n3", "n2"])
        #expect(table.first?.hasSuffix("unexpected") == true)
        #expect(table.last?.contains("4m12s ago") == true)
        #expect(table.dropFirst().first?.split(separator: " ").map(String.init)
            == ["n4", "10.99.0.4:51820", "10.244.4.0/24", "-", "-", "-", "missing"])
        #expect(rows.contains("peers:       4 (1 ok, 1 never, 1 missing, 1 unexpected)"))
        #expect(rows.contains("n3: never: because never"))
        #expect(rows.contains("n4: missing: because missing"))
        #expect(rows.contains("(key \(Self.key(9).base64.prefix(8))...): unexpected: because unexpected"))
        #expect(!rows.contains { $0.hasPrefix("n2:") })
    }

    @Test func noPeersSaysSo() {
        #expect(LocalStatusTable.render(Self.status([])).hasSuffix("no peers: this node is alone in the mesh, or excluded from it\n"))
    }

    // MARK: the binary against a control socket

    /// Serves `status` with `reply` on a socket in a fresh folder.
    struct Daemon {
        let directory: String
        let task: Task<Void, any Error>
        var path: String { directory + "/control.sock" }

        init(reply: JSONValue) async throws {
            try await self.init(answer: .result(reply))
        }

        init(answer: ControlReply) async throws {
            let directory = try makeTemporaryDirectory(prefix: "wgmesh-status")
            self.directory = directory
            let info = DaemonInfo(nodeName: "n1", interfaceName: "wg0", mtu: 1420, blocks: [],
                                  publicKey: StatusCommandTests.key(1), backend: "userspace")
            let server = ControlServer(path: directory + "/control.sock",
                                       handlers: ControlHandlers(info: { info }, commands: [.status: { answer }]))
            task = Task { try await server.run() }
            for _ in 0..<200 {
                if (try? ControlClient(path: directory + "/control.sock").ping()) != nil { return }
                try await Task.sleep(for: .milliseconds(25))
            }
            task.cancel()
            throw CommandFailure("the test control socket never answered")
        }

        func stop() {
            task.cancel()
            _ = try? runProcess("/bin/rm", ["-rf", directory])
        }
    }

    /// Runs `wgmesh status ARGS` on a Dispatch thread: the test's own
    /// control server answers on the cooperative pool, which a blocking
    /// wait there could starve when other tests hold its few threads.
    /// For the same reason the CLI may wait 60 s (`--timeout`): in CI's
    /// root phase, other tests' blocking calls held the pool past 5 s.
    static func wgmesh(_ arguments: [String]) async throws -> ProcessResult {
        let binary = try KeyCommandTests.wgmesh()
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runProcess(binary, ["status", "--timeout", "60"] + arguments) })
            }
        }
    }

    @Test func healthyExitsZeroAndPrintsTheSchema() async throws {
        let daemon = try await Daemon(reply: Self.healthy.json)
        defer { daemon.stop() }
        let json = try await Self.wgmesh(["-o", "json", "--control-socket", daemon.path])
        #expect(json.status == 0, "\(json.standardError)")
        #expect(try LocalStatus(json: try JSONParser.parse(json.standardOutput)) == Self.healthy)
        #expect(json.standardOutput.contains("\"schema\": \"wgmesh.status/v1\""))
        let table = try await Self.wgmesh(["--control-socket", daemon.path])
        #expect(table.status == 0)
        #expect(table.standardOutput == LocalStatusTable.render(Self.healthy))
    }

    @Test func unhealthyExitsOne() async throws {
        let daemon = try await Daemon(reply: Self.broken.json)
        defer { daemon.stop() }
        for format in ["table", "json"] {
            let result = try await Self.wgmesh(["-o", format, "--control-socket", daemon.path])
            #expect(result.status == 1, "\(format): \(result.standardError)")
            #expect(result.standardOutput.contains("unexpected"))
        }
    }

    @Test func anotherNodesDaemonIsRefused() async throws {
        let daemon = try await Daemon(reply: Self.healthy.json)
        defer { daemon.stop() }
        let result = try await Self.wgmesh(["--control-socket", daemon.path, "--node-name", "n7"])
        #expect(result.status == 3)
        #expect(result.standardError.contains("runs node n1, not n7"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aRefusalIsPrintedAndExitsThree() async throws {
        let daemon = try await Daemon(answer: .failure(ControlError(.unavailable, "wgmeshd has not applied its first plan yet")))
        defer { daemon.stop() }
        let result = try await Self.wgmesh(["--control-socket", daemon.path])
        #expect(result.status == 3)
        #expect(result.standardError.contains("has not applied its first plan yet"))
    }

    @Test func noDaemonExitsThreeAndSaysHowToStartIt() async throws {
        let result = try await Self.wgmesh(["--control-socket", "/nonexistent/wgmesh/control.sock"])
        #expect(result.status == 3)
        #expect(result.standardError.contains("wgmeshd is not running"))
        #expect(result.standardError.contains("systemctl start wgmeshd"))
    }

    @Test func badArgumentsAreAUsageError() async throws {
        let usage = try await Self.wgmesh(["-o", "yaml"])
        #expect(usage.status == 64)
    }
}
