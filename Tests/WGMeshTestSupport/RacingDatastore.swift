public import WGMeshDatastore
import Synchronization

/// A datastore that lets a test slip other writes in just before a
/// transaction reaches the real store: another writer racing the code under
/// test between its read and its compare-and-swap. Everything else passes
/// straight through to `base`.
public final class RacingDatastore: Datastore {
    /// The real store.
    public let base: any Datastore
    private let hook: @Sendable (_ number: Int, _ base: any Datastore) async throws -> Void
    private let transactions = Mutex(0)
    private let closesBase: Bool

    /// Runs `beforeTransaction` with the transaction's number (1, 2, ...)
    /// and the real store before each transaction. `close()` closes `base`
    /// only when `closesBase` is set.
    public init(_ base: any Datastore, closesBase: Bool = false,
                beforeTransaction: @escaping @Sendable (_ number: Int, _ base: any Datastore) async throws -> Void)
    {
        self.base = base
        self.closesBase = closesBase
        self.hook = beforeTransaction
    }

    /// Runs `interfere` once, before the first transaction only.
    public convenience init(_ base: any Datastore, interfere: @escaping @Sendable (any Datastore) async throws -> Void) {
        self.init(base) { number, base in
            if number == 1 { try await interfere(base) }
        }
    }

    /// How many transactions the code under test sent.
    public var transactionCount: Int { transactions.withLock { $0 } }

    public func transaction(_ conditions: [Condition], _ operations: [Operation]) async throws -> TransactionResult {
        let number = transactions.withLock { count in
            count += 1
            return count
        }
        try await hook(number, base)
        return try await base.transaction(conditions, operations)
    }

    public func get(_ key: String) async throws -> KeyValue? { try await base.get(key) }
    public func list(prefix: String) async throws -> ListResult { try await base.list(prefix: prefix) }
    public func watch(prefix: String, from revision: Revision) -> AsyncThrowingStream<WatchBatch, any Error> {
        base.watch(prefix: prefix, from: revision)
    }
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID { try await base.grantLease(ttlSeconds: ttlSeconds) }
    public func keepAlive(_ lease: LeaseID) async throws -> Int64 { try await base.keepAlive(lease) }
    public func revokeLease(_ lease: LeaseID) async throws { try await base.revokeLease(lease) }
    public func compact(before revision: Revision) async throws { try await base.compact(before: revision) }
    public func close() async { if closesBase { await base.close() } }
}
