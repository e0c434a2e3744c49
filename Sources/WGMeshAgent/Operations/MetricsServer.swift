import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener behind `--metrics-address`: one small server on
/// SwiftNIO that hands every complete request to a handler.
///
/// It is built on `NIOAsyncChannel`, so connections are child tasks of
/// ``run()``: cancelling the node's task group ends every one of them and
/// closes the listening socket, with no unstructured task left behind.
struct MetricsServer: Sendable {
    /// Answers one request: the method and the request target.
    typealias Handler = @Sendable (HTTPMethod, String) async -> OperationsRoutes.Response
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let listener: NIOAsyncChannel<Connection, Never>
    private let handler: Handler
    /// The port bound (the one asked for, or the kernel's pick for 0).
    let port: Int

    /// Whether the listening socket is closed (true once ``run()`` has returned).
    var isClosed: Bool { !listener.channel.isActive }

    private init(listener: NIOAsyncChannel<Connection, Never>, handler: @escaping Handler) {
        self.listener = listener
        self.handler = handler
        port = listener.channel.localAddress?.port ?? 0
    }

    /// Binds `address` (`host:port`, `[v6]:port`); a port in use or a host
    /// that is not here is an error naming the address and the fix.
    static func bind(address: String, handler: @escaping Handler) async throws -> MetricsServer {
        let (host, port) = try split(address)
        return try await bind(host: host, port: port, handler: handler)
    }

    /// Binds `host` on `port` (0: any free port).
    static func bind(host: String, port: Int, handler: @escaping Handler) async throws -> MetricsServer {
        do {
            let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // A client silent for a minute is dropped, so idle keep-alive connections do not pile up.
                        try channel.pipeline.syncOperations.addHandlers(
                            IdleStateHandler(readTimeout: .seconds(60)), IdleConnectionCloser())
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
            return MetricsServer(listener: listener, handler: handler)
        } catch {
            let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            throw AgentError(
                .hostNetwork,
                "cannot serve metrics on \(shown): \(error); give --metrics-address a free port on an address "
                    + "this host has (e.g. 127.0.0.1:9586), or stop what is listening there")
        }
    }

    /// Serves until the task is cancelled, then closes the socket.
    func run() async throws {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
                // The listener is closed: stop the connections still open (keep-alive ones would wait forever).
                group.cancelAll()
            }
        } catch {
            try? await listener.channel.closeFuture.get()
            throw error
        }
        // executeThenClose starts the close on the event loop, and a cancelled run ends by
        // throwing: either way, return only once the socket is closed, or it could still take a
        // connection for a moment after the node stopped.
        try? await listener.channel.closeFuture.get()
    }

    /// Answers requests on one connection until the client closes it or
    /// asks for no keep-alive. A broken connection only ends itself.
    private func serve(_ connection: Connection) async {
        try? await connection.executeThenClose { requests, responses in
            var head: HTTPRequestHead?
            for try await part in requests {
                switch part {
                case .head(let request):
                    head = request
                case .body:
                    break  // nothing takes a body; a client that sends one still gets its answer
                case .end:
                    guard let request = head else { continue }
                    head = nil
                    let response = await handler(request.method, request.uri)
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: response.contentType)
                    headers.add(name: "Content-Length", value: "\(response.body.count)")
                    if response.status == .methodNotAllowed { headers.add(name: "Allow", value: "GET") }
                    if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
                    try await responses.write(.head(HTTPResponseHead(
                        version: request.version, status: response.status, headers: headers)))
                    try await responses.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    try await responses.write(.end(nil))
                    if !request.isKeepAlive { return }
                }
            }
        }
    }

    /// `host:port` or `[v6]:port` into its parts (the config loader checked the form).
    static func split(_ address: String) throws -> (host: String, port: Int) {
        let fail = AgentError(.invalidConfiguration, "--metrics-address '\(address)' is not host:port or [IPv6]:port; "
                                  + "give e.g. 127.0.0.1:9586 or [::1]:9586")
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port)
        else { throw fail }
        var host = address[..<colon]
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { throw fail }
            host = host.dropFirst().dropLast()
        }
        guard !host.isEmpty else { throw fail }
        return (String(host), port)
    }
}

/// Closes a connection when ``IdleStateHandler`` says it went quiet.
private final class IdleConnectionCloser: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
