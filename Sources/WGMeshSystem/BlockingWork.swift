public import NIOCore
internal import NIOPosix

/// Where blocking system work runs: netlink, wireguard-go's UAPI, `setns`, spawning processes,
/// local sockets and (soon) libbpf, and never on Swift's cooperative pool.
///
/// The cooperative pool has one thread per core, two on our machines: one netlink call that
/// waits on a stopped wireguard-go would hold half of it, and every task of the process (the
/// control socket, metrics, health) would queue behind it. CI failed that way once.
///
/// Two tools, one rule:
/// - ``run(_:)`` hands a blocking closure to a pool of threads of its own and suspends the
///   caller until it is done;
/// - ``dedicatedExecutor()`` gives an actor that must stay atomic across its blocking calls
///   (the reconciler: an apply must never interleave with a key switch) a serial executor on a
///   thread of its own, so its blocking calls block only that thread.
public enum BlockingWork {
    /// How many blocking calls may run at once. Each waits on the kernel or a peer process, not
    /// the CPU; several may wait on a stopped wireguard-go while the rest carry on.
    public static let threadCount = 8

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
        return pool
    }()

    /// Runs `body` on a blocking-work thread and returns its result; the caller suspends meanwhile.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Runs `body`, which cannot fail, on a blocking-work thread.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        // The pool is never shut down, so runIfActive cannot fail for being inactive.
        try! await pool.runIfActive(body)
    }

}

/// A thread of one actor's own, as its serial executor: for an actor that must run blocking
/// calls inline (see ``BlockingWork``). Not shared, so one actor blocking never stalls another
/// (tests run many reconcilers at once); the thread ends when this is released.
public final class DedicatedThread: Sendable {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// The executor to return from the actor's `unownedExecutor`.
    public let executor: any SerialExecutor

    /// Starts the thread.
    public init() {
        executor = group.next().executor
    }

    deinit {
        // The callback form: this may run on the thread itself, where a synchronous shutdown traps.
        group.shutdownGracefully { _ in }
    }
}
