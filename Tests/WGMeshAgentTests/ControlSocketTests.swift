import Dispatch
import Glibc
import Testing
import WGMeshCore
import WGMeshResources
import WGMeshTestSupport
@testable import WGMeshAgent

/// A control socket in a fresh folder, and ways to wait for it.
struct ControlFixture {
    let directory: String
    var path: String { directory + "/run/wgmesh/control.sock" }

    static let info = DaemonInfo(
        nodeName: "node-a", interfaceName: "wgmesh0", mtu: 1420,
        blocks: [try! IPNetwork("10.65.0.0/26"), try! IPNetwork("fd00:65::/122")],
        publicKey: try! WireGuardKey(rawBytes: [UInt8](repeating: 9, count: 32)), backend: "userspace")

    init() throws { directory = try makeTemporaryDirectory(prefix: "wgmesh-control") }

    func remove() { _ = try? runProcess("/bin/rm", ["-rf", directory]) }

    /// Starts a server and waits until it answers.
    func start() async throws -> Task<Void, any Error> {
        let server = ControlServer(path: path) { ControlFixture.info }
        let task = Task { try await server.run() }
        for _ in 0..<200 {
            if (try? ControlClient(path: path).ping()) != nil { return task }
            try await Task.sleep(for: .milliseconds(25))
        }
        task.cancel()
        throw AgentError(.controlSocket, "the test server never answered on \(path)")
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : 0
    }
}

@Suite struct ControlSocketTests {
    @Test func infoRoundTripsAndTheSocketIsRootOnly() async throws {
        let fixture = try ControlFixture()
        defer { fixture.remove() }
        let server = try await fixture.start()
        #expect(try ControlClient(path: fixture.path).info() == ControlFixture.info)
        #expect(fixture.mode(fixture.path) & S_IFMT == S_IFSOCK)
        #expect(fixture.mode(fixture.path) & 0o777 == 0o600)
        #expect(fixture.mode(fixture.directory + "/run/wgmesh") & 0o777 == 0o755)
        server.cancel()
        try await server.value
        #expect(access(fixture.path, F_OK) != 0)
        let error = #expect(throws: AgentError.self) { try ControlClient(path: fixture.path).info() }
        #expect(error?.reason.contains("wgmeshd is not running: nothing answers on \(fixture.path)") == true)
    }

    @Test func anUnknownRequestGetsAnError() async throws {
        let fixture = try ControlFixture()
        defer { fixture.remove() }
        let server = try await fixture.start()
        defer { server.cancel() }
        let error = #expect(throws: AgentError.self) { try ControlClient(path: fixture.path).request(.status) }
        #expect(error?.reason.contains("refused 'status': this wgmeshd does not serve 'status' (it serves info or ping)")
                == true, "\(error?.reason ?? "")")
    }

    /// A request is exactly {"request":"NAME"}: the loose parser ran `rotate-key ;rm -rf /` as
    /// rotate-key and `status status` as status.
    @Test(arguments: [
        (#"{"request":"info"}"#, nil),
        (#"{ "request" : "ping" }"#, nil),
        (#"{"request":"status"}"#, ControlError.Code.unknownRequest),
        (#"{"request":"INFO"}"#, .unknownRequest),
        (#"{"request":"info","extra":1}"#, .badRequest),
        (#"{"request":["info"]}"#, .badRequest),
        (#"{"request":"info"} {"request":"info"}"#, .badRequest),
        ("info", .badRequest),
        ("rotate-key ;rm -rf /", .badRequest),
        ("status status", .badRequest),
        ("", .badRequest),
    ] as [(String, ControlError.Code?)])
    func aRequestIsExactlyValidOrRefused(line: String, refusal: ControlError.Code?) async {
        let handlers = ControlHandlers(info: { ControlFixture.info })
        switch await handlers.reply(to: Array(line.utf8)) {
        case .result: #expect(refusal == nil, "\(line) was served")
        case .failure(let error): #expect(error.code == refusal, "\(line): \(error.message)")
        }
    }

    @Test func aStaleSocketIsReplaced() async throws {
        let fixture = try ControlFixture()
        defer { fixture.remove() }
        #expect(mkdir(fixture.directory + "/run", 0o755) == 0 && mkdir(fixture.directory + "/run/wgmesh", 0o755) == 0)
        // A socket file with nobody listening: what a killed daemon leaves.
        // Bound, then closed at once (the result is dropped): the file stays, nobody answers.
        if case .failure(let error) = ControlSocket.listen(at: fixture.path) {
            Issue.record("could not make the stale socket: \(error)")
            return
        }
        #expect(fixture.mode(fixture.path) & S_IFMT == S_IFSOCK)
        let server = try await fixture.start()
        defer { server.cancel() }
        #expect(try ControlClient(path: fixture.path).info().nodeName == "node-a")
    }

    @Test func aLiveSocketIsRefused() async throws {
        let fixture = try ControlFixture()
        defer { fixture.remove() }
        let first = try await fixture.start()
        defer { first.cancel() }
        let second = ControlServer(path: fixture.path) { ControlFixture.info }
        let error = await #expect(throws: AgentError.self) { try await second.run() }
        #expect(error?.reason == "another wgmeshd is running (\(fixture.path) answers): stop it or use --control-socket")
        // The first one still answers.
        try ControlClient(path: fixture.path).ping()
    }

    @Test func aFileThatIsNotASocketIsLeftAlone() async throws {
        let fixture = try ControlFixture()
        defer { fixture.remove() }
        let path = fixture.directory + "/control.sock"
        let fd = open(path, O_WRONLY | O_CREAT, 0o644)
        close(fd)
        let error = await #expect(throws: AgentError.self) {
            try await ControlServer(path: path) { ControlFixture.info }.run()
        }
        #expect(error?.reason.contains("is not a socket") == true)
        #expect(fixture.mode(path) & S_IFMT == S_IFREG)
    }

    @Test(arguments: [
        ("hello\n", "not JSON"),
        ("{\"result\":{\"nodeName\":\"a\"}}\n", "interfaceName must be a string, got nothing"),
        ("{\"result\":{\"nodeName\":\"a\",\"interfaceName\":\"w\",\"mtu\":\"big\",\"blocks\":[],\"publicKey\":\"x\",\"backend\":\"k\"}}\n",
         "mtu must be an integer"),
        ("{\"result\":{\"nodeName\":\"a\",\"interfaceName\":\"w\",\"mtu\":1420,\"blocks\":[\"nope\"],\"publicKey\":\"x\",\"backend\":\"k\"}}\n",
         "blocks holds 'nope', which is not a CIDR"),
        ("[1,2]\n", "neither {\"result\":...} nor {\"error\":...}"),
        ("{\"error\":\"old style\"}\n", "neither {\"result\":...} nor {\"error\":{\"code\",\"message\"}}"),
        ("", "closed the connection without an answer"),
    ])
    func aMalformedReplyIsAClearError(reply: String, problem: String) throws {
        let fixture = try ControlFixture()
        defer { fixture.remove() }
        let path = fixture.directory + "/fake.sock"
        guard case .success(let listener) = ControlSocket.listen(at: path) else {
            Issue.record("could not listen on \(path)")
            return
        }
        let served = DispatchSemaphore(value: 0)
        DispatchQueue(label: "fake-wgmeshd").async {
            defer { served.signal() }
            let fd = accept(listener.fd, nil, nil)
            guard fd >= 0 else { return }
            let connection = ControlSocket(fd: fd)
            _ = connection.readLine(limit: 100, deadline: ControlSocket.monotonicMilliseconds() + 5000)
            connection.writeAll(Array(reply.utf8), deadline: ControlSocket.monotonicMilliseconds() + 5000)
        }
        let error = #expect(throws: AgentError.self) { try ControlClient(path: path).info() }
        served.wait()
        #expect(error?.code == .controlSocket)
        #expect(error?.reason.contains(problem) == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains(path) == true)
    }
}
