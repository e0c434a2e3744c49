import Dispatch

extension EtcdCluster {
    /// ``start(members:auth:tls:)`` on a Dispatch thread: the launcher sleeps
    /// and waits for processes, and doing that on Swift's cooperative pool
    /// (one thread per core) starves the async tests running beside it until
    /// their gRPC calls time out. Async tests should call this one.
    public static func starting(members: Int = 1, auth: Bool = false, tls: EtcdTestTLS? = nil) async throws
        -> EtcdCluster
    {
        try await offPool { try start(members: members, auth: auth, tls: tls) }
    }

    /// ``leaderIndex()`` on a Dispatch thread, for async tests.
    public func currentLeader() async throws -> Int {
        try await Self.offPool { try self.leaderIndex() }
    }

    /// ``restart(member:)`` on a Dispatch thread, for async tests.
    public func restarting(member index: Int) async throws {
        try await Self.offPool { try self.restart(member: index) }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
