import NIOHTTP1
import Synchronization

/// `--metrics-address`, bound before start-up touches anything: a port in
/// use stops wgmeshd at once, with nothing changed on the machine, and
/// probes get an answer while the node is still starting (which can take
/// minutes when the datastore is down).
///
/// Until the started node hands over its routes, `/healthz` says the
/// process is alive, and `/readyz` and `/metrics` answer 503.
final class MetricsListener: Sendable {
    /// The started node's routes, once there are some.
    private final class RoutesCell: Sendable {
        let routes = Mutex<OperationsRoutes?>(nil)
    }

    private let server: MetricsServer
    private let cell: RoutesCell
    /// The address as configured, for logs.
    let address: String

    private init(server: MetricsServer, cell: RoutesCell, address: String) {
        self.server = server
        self.cell = cell
        self.address = address
    }

    /// Binds `address`; nil when metrics are off.
    static func bind(_ address: String?) async throws -> MetricsListener? {
        guard let address else { return nil }
        let cell = RoutesCell()
        let server = try await MetricsServer.bind(address: address) { method, uri in
            guard let current = cell.routes.withLock({ $0 }) else { return Self.startingUp(method, uri) }
            return await current.respond(method, uri)
        }
        return MetricsListener(server: server, cell: cell, address: address)
    }

    /// The port bound.
    var port: Int { server.port }

    /// From now on, answers with the started node's routes.
    func serve(_ started: OperationsRoutes) {
        cell.routes.withLock { $0 = started }
    }

    /// Accepts connections until the task is cancelled.
    func run() async throws {
        try await server.run()
    }

    /// The answers before start-up ends.
    static func startingUp(_ method: HTTPMethod, _ uri: String) -> OperationsRoutes.Response {
        let path = OperationsRoutes.path(of: uri)
        guard OperationsRoutes.paths.contains(path) else { return OperationsRoutes.notFound(path) }
        guard method == .GET else { return OperationsRoutes.notAllowed(path) }
        if path == "/healthz" { return .text(.ok, "ok (starting up)") }
        return .text(.serviceUnavailable, "starting up: this node has not joined the mesh yet (see wgmeshd's log)")
    }
}
