internal import Glibc
internal import NIOCore
internal import NIOPosix
import Synchronization
import WGMeshCore

/// Serves the control socket on SwiftNIO: one request line, one reply line, close; many clients
/// at once.
///
/// The socket is created 0600 (root's commands only) in a 0755 folder made if missing; a stale
/// socket left by a dead daemon is replaced, a live one (another daemon answering) is an error.
///
/// Bounded: at most ``connectionLimit`` connections at once (more are told `busy` and closed), a
/// request line of at most ``ControlRequest/lineLimit`` bytes, and a connection that says
/// nothing for ``idleTimeout`` is closed. A crowd of silent clients therefore costs a few
/// kilobytes each and never delays an answer to anyone else: each connection is served by
/// itself, and a command's async work runs as a task of its own.
public final class ControlServer: Sendable {
    /// The socket path.
    public let path: String
    private let handlers: ControlHandlers

    /// How many connections are served at once.
    static let connectionLimit = 512
    /// How long a connection may stay silent before its request line is complete.
    static let idleTimeout: TimeAmount = .seconds(10)

    /// Creates a server that answers `info` and `ping` itself and every other request from
    /// `handlers.commands`.
    public init(path: String, handlers: ControlHandlers) {
        self.path = path
        self.handlers = handlers
    }

    /// Creates a server that answers `info` with what `info` returns now.
    public convenience init(path: String, info: @escaping @Sendable () -> DaemonInfo) {
        self.init(path: path, handlers: ControlHandlers(info: info))
    }

    /// Binds and serves until the task is cancelled; removes the socket after.
    public func run() async throws {
        let listener = try ControlSocketFile(path: path).bind()
        let counter = ConnectionCounter(limit: Self.connectionLimit)
        let handlers = handlers
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                // A client that shuts down its write side after the request still gets its answer.
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandlers(
                            IdleStateHandler(readTimeout: Self.idleTimeout),
                            ControlConnectionHandler(handlers: handlers, counter: counter))
                    }
                }
                .withBoundSocket(listener.releaseDescriptor()).get()
        } catch {
            unlink(path)
            throw AgentError(.controlSocket, "cannot serve the control socket \(path): \(error); restart wgmeshd")
        }
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        try? await channel.closeFuture.get()
        unlink(path)
    }
}

/// How many control connections are open, against a limit.
final class ConnectionCounter: Sendable {
    private let open = Atomic<Int>(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Counts one more connection; false (and not counted) when the limit is reached.
    func enter() -> Bool {
        while true {
            let current = open.load(ordering: .relaxed)
            guard current < limit else { return false }
            if open.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged {
                return true
            }
        }
    }

    /// Counts one connection less.
    func leave() { open.subtract(1, ordering: .acquiringAndReleasing) }
}
