internal import Dispatch
import Glibc
import Testing
@testable import WGMeshAgent
import WGMeshCore

/// One HTTP/1.1 exchange over a plain TCP socket, on a thread of its own
/// (connect and read block): the raw status line, headers and body.
func rawHTTP(port: Int, _ request: String) async -> String {
    await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
        DispatchQueue.global().async {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { return done.resume(returning: "connect failed: errno \(errno)") }
            _ = request.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) }
            var reply: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(fd, &chunk, chunk.count, 0)
                if count <= 0 { break }
                reply += chunk[0..<count]
            }
            done.resume(returning: String(decoding: reply, as: UTF8.self))
        }
    }
}

/// The metrics listener over a real socket on 127.0.0.1.
@Suite("Metrics: HTTP listener")
struct MetricsServerTests {
    func get(_ port: Int, _ path: String, method: String = "GET") async -> String {
        await rawHTTP(port: port, "\(method) \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
    }

    @Test("serves /metrics, /healthz and /readyz; 404 and 405 otherwise; stops on cancellation")
    func endpoints() async throws {
        let health = HealthMonitor()
        let metrics = AgentMetrics(nodeName: "node-a")
        let routes = OperationsRoutes(health: health) {
            metrics.scrape(device: MetricsFixture.device(peers: []), peerStates: [.ok], keys: nil, now: 0)
        }
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, handler: routes.respond)
        #expect(server.port > 0)
        let serving = Task { try await server.run() }

        let starting = await get(server.port, "/readyz")
        #expect(starting.hasPrefix("HTTP/1.1 503"))
        #expect(starting.contains("starting: no apply yet"))
        health.record(ReconcileOutcome(reason: "load", duration: .milliseconds(1), summary: ApplySummary(),
                                       error: nil, plan: MeshPlan(device: DesiredDevice(), mtu: 1420)))
        #expect(await get(server.port, "/readyz").hasPrefix("HTTP/1.1 200 OK"))
        let healthy = await get(server.port, "/healthz")
        #expect(healthy.hasPrefix("HTTP/1.1 200 OK") && healthy.hasSuffix("\r\n\r\nok\n"))

        let page = await get(server.port, "/metrics?x=1")
        #expect(page.hasPrefix("HTTP/1.1 200 OK"))
        #expect(page.lowercased().contains("content-type: text/plain; version=0.0.4"))
        #expect(page.contains("wireguard_meta{hostname=\"node-a\",iface=\"wgmesh0\""))
        #expect(page.contains("wgmesh_peers{state=\"ok\"} 1"))
        #expect(page.contains("wgmesh_reconcile_total{reason=\"load\"} 1") == false, "routes own no outcomes here")

        #expect(await get(server.port, "/nothing").hasPrefix("HTTP/1.1 404"))
        let post = await get(server.port, "/metrics", method: "POST")
        #expect(post.hasPrefix("HTTP/1.1 405"))
        #expect(post.lowercased().contains("allow: get"))

        #expect(!server.isClosed)
        serving.cancel()
        _ = await serving.result
        // Closed when run() returns, not a moment later. (Probing the port instead would race
        // with other suites, which may be handed the freed port at once.)
        #expect(server.isClosed, "the listener is still open after the server stopped")
    }

    @Test("two requests on one kept-alive connection both get answers")
    func keepAlive() async throws {
        let routes = OperationsRoutes(health: HealthMonitor()) { Array("x 1\n".utf8) }
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, handler: routes.respond)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let reply = await rawHTTP(port: server.port,
                                  "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(reply.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count { $0.hasPrefix("HTTP/1.1 200") } == 2)
    }

    @Test("a port in use is an error naming the address and the fix")
    func bindFailure() async throws {
        let routes = OperationsRoutes(health: HealthMonitor()) { [] }
        let first = try await MetricsServer.bind(host: "127.0.0.1", port: 0, handler: routes.respond)
        let serving = Task { try await first.run() }
        defer { serving.cancel() }
        let error = await #expect(throws: AgentError.self) {
            _ = try await MetricsServer.bind(address: "127.0.0.1:\(first.port)", handler: routes.respond)
        }
        #expect(error?.reason.contains("127.0.0.1:\(first.port)") == true)
        #expect(error?.reason.contains("--metrics-address") == true)
    }

    @Test("addresses split into host and port", arguments: [
        ("127.0.0.1:9586", "127.0.0.1", 9586), ("[::1]:9586", "::1", 9586), ("localhost:80", "localhost", 80),
    ])
    func split(address: String, host: String, port: Int) throws {
        let parts = try MetricsServer.split(address)
        #expect(parts.host == host && parts.port == port)
    }
}
