import NIOHTTP1

/// What the metrics listener answers: `/metrics`, `/healthz` and
/// `/readyz`, GET only. Kept apart from the server so it is tested without
/// a socket.
struct OperationsRoutes: Sendable {
    /// One reply.
    struct Response: Sendable, Equatable {
        /// The status code.
        var status: HTTPResponseStatus
        /// The `Content-Type`.
        var contentType = "text/plain; charset=utf-8"
        /// The body.
        var body: [UInt8]

        /// A plain text reply: `text` and a newline.
        static func text(_ status: HTTPResponseStatus, _ text: String) -> Response {
            Response(status: status, body: Array((text + "\n").utf8))
        }
    }

    /// The Prometheus text format's content type (version 0.0.4).
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Readiness and health.
    let health: HealthMonitor
    /// Renders `/metrics`.
    let metrics: @Sendable () async -> [UInt8]

    /// Creates the routes.
    init(health: HealthMonitor, metrics: @escaping @Sendable () async -> [UInt8]) {
        self.health = health
        self.metrics = metrics
    }

    /// The pages there are.
    static let paths = ["/metrics", "/healthz", "/readyz"]

    /// The path of a request target (a query string dropped).
    static func path(of uri: String) -> String {
        uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }

    /// The reply to a path that is not one of ``paths``.
    static func notFound(_ path: String) -> Response {
        .text(.notFound, "no page at \(path): wgmeshd serves /metrics, /healthz and /readyz")
    }

    /// The reply to a method other than GET.
    static func notAllowed(_ path: String) -> Response {
        .text(.methodNotAllowed, "\(path) answers GET only")
    }

    /// The reply to `method` on `uri` (a query string is ignored).
    @Sendable func respond(_ method: HTTPMethod, _ uri: String) async -> Response {
        let path = Self.path(of: uri)
        guard Self.paths.contains(path) else { return Self.notFound(path) }
        guard method == .GET else { return Self.notAllowed(path) }
        switch path {
        case "/metrics":
            return Response(status: .ok, contentType: Self.metricsContentType, body: await metrics())
        case "/healthz":
            if let problem = health.problem { return .text(.serviceUnavailable, problem) }
            return .text(.ok, "ok")
        default:
            if let starting = health.startupProblem { return .text(.serviceUnavailable, starting) }
            return .text(.ok, "ok")
        }
    }
}
