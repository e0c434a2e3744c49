import Glibc
import Logging
import ServiceLifecycle
import Testing
@testable import WGMeshAgent
import WGMeshCore
import WGMeshResources
import WGMeshSystem
import WGMeshTestSupport

/// The operations parts inside a whole node (SQLite, fake dataplane):
/// `--metrics-address` serves the node's own numbers, `health` answers on
/// the control socket, a port in use stops the node with a clear error
/// before start-up, and probes get answers while the node starts.
@Suite("Metrics: inside a running node", .serialized)
struct MetricsNodeServiceTests {
    /// A port free now on 127.0.0.1 (the kernel's pick, released at once).
    static func freePort() async throws -> Int {
        let probe = try await MetricsServer.bind(host: "127.0.0.1", port: 0) { _, _ in .text(.ok, "") }
        let serving = Task { try await probe.run() }
        serving.cancel()
        _ = await serving.result
        return probe.port
    }

    static func start(_ config: AgentConfig, folder: String, logs: CapturedLogs)
        async throws -> (ServiceGroup, Task<Void, any Error>, FakeDataplane)
    {
        try await NodeServiceTests.seed(config, folder: folder, logs: logs)
        let dataplane = FakeDataplane()
        let service = NodeService(config: config, logger: logs.logger(), makeDataplane: { _ in dataplane },
                                  retryBackoff: RetryBackoff(initial: .milliseconds(10), maximum: .milliseconds(50)))
        let group = ServiceGroup(services: [service], logger: logs.logger("wgmesh.test.group"))
        return (group, Task { try await group.run() }, dataplane)
    }

    @Test("metrics, healthz, readyz and the health command of a started node")
    func servesItsOwnNumbers() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-metrics")
        defer { _ = try? runProcess("/bin/rm", ["-rf", folder]) }
        var config = NodeServiceTests.config(in: folder)
        let port = try await Self.freePort()
        config.metricsAddress = "127.0.0.1:\(port)"
        let logs = CapturedLogs()
        let (group, running, dataplane) = try await Self.start(config, folder: folder, logs: logs)

        try await eventually("the first apply") { !dataplane.applies.isEmpty }
        try await eventually("ready") { await rawHTTP(port: port, Self.get("/readyz")).hasPrefix("HTTP/1.1 200") }
        let page = await rawHTTP(port: port, Self.get("/metrics"))
        #expect(page.contains("wgmesh_reconcile_total{reason=\"load\"} 1"), "\(page)")
        #expect(page.contains("wireguard_meta{hostname=\"node-a\",iface=\"wgmesh0\",listen_port=\"51820\""))
        #expect(page.contains("wgmesh_key_rotations_total{result=\"ok\"} 0"))
        #expect(await rawHTTP(port: port, Self.get("/healthz")).hasSuffix("\r\n\r\nok\n"))

        // A blocking client: a blocking-work thread, so the command's task finds a free pool thread.
        let socket = config.controlSocket
        let health = try await BlockingWork.run { try ControlClient(path: socket).request(.health, timeoutMilliseconds: 30_000) }
        #expect(health == .object(DocumentObject([("ready", .bool(true)), ("healthy", .bool(true)),
                                                  ("problem", .null)])))
        #expect(logs.count(.info, containing: "serving metrics on http://127.0.0.1:\(port)/metrics") == 1)

        // That the listener is closed once run() returns is MetricsServerTests' to check: here,
        // other suites of this process bind ports of the kernel's choosing and may be handed this
        // one the moment it is free, so probing the port would test the port, not the node.
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test("a metrics port in use stops the node before it touches the key, the datastore or the kernel")
    func portInUse() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-metrics")
        defer { _ = try? runProcess("/bin/rm", ["-rf", folder]) }
        let holder = try await MetricsServer.bind(host: "127.0.0.1", port: 0) { _, _ in .text(.ok, "") }
        let holding = Task { try await holder.run() }
        defer { holding.cancel() }
        var config = NodeServiceTests.config(in: folder)
        config.metricsAddress = "127.0.0.1:\(holder.port)"
        let logs = CapturedLogs()
        let (_, running, dataplane) = try await Self.start(config, folder: folder, logs: logs)
        let error = await #expect(throws: AgentError.self) { try await running.value }
        #expect(error?.reason.contains("cannot serve metrics on 127.0.0.1:\(holder.port)") == true)
        #expect(error?.reason.contains("--metrics-address") == true)
        #expect(dataplane.applies.isEmpty)
        var info = stat()
        #expect(stat(config.stateDirectory + "/private.key", &info) != 0, "a key was made before the bind failed")
    }

    @Test("while start-up waits, healthz says alive and readyz and metrics say starting up")
    func answersDuringStartUp() async throws {
        let listener = try #require(try await MetricsListener.bind("127.0.0.1:0"))
        let serving = Task { try await listener.run() }
        defer { serving.cancel() }
        let healthz = await rawHTTP(port: listener.port, Self.get("/healthz"))
        #expect(healthz.hasPrefix("HTTP/1.1 200") && healthz.hasSuffix("ok (starting up)\n"), "\(healthz)")
        for path in ["/readyz", "/metrics"] {
            let reply = await rawHTTP(port: listener.port, Self.get(path))
            #expect(reply.hasPrefix("HTTP/1.1 503") && reply.contains("starting up"), "\(path): \(reply)")
        }
        #expect(await rawHTTP(port: listener.port, Self.get("/other")).hasPrefix("HTTP/1.1 404"))

        listener.serve(OperationsRoutes(health: HealthMonitor()) { Array("x 1\n".utf8) })
        #expect(await rawHTTP(port: listener.port, Self.get("/metrics")).hasSuffix("\r\n\r\nx 1\n"))
    }

    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" }
}

