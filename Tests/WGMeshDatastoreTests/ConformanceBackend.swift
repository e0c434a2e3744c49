import Glibc
import Logging
import Synchronization
import Testing
import WGMeshDatastore

/// One `Datastore` implementation the conformance cases run against.
///
/// The cases see only `any Datastore`; this adds what the protocol leaves
/// out: making a fresh store, and letting lease time pass.
struct ConformanceBackend: Sendable, CustomTestStringConvertible {
    /// "memory", "sqlite" or "etcd", as the test names show it.
    let name: String
    /// True when each test gets a store of its own, so revision arithmetic
    /// ("exactly one more") can be checked. On the shared etcd member other
    /// tests move the revision too, and the cases check only what holds there.
    let isolated: Bool
    /// A new, empty store (or a new connection to the shared one).
    let makeStore: @Sendable () async throws -> any Datastore
    /// Lets `seconds` of lease time pass: the fake's clock, or a real sleep.
    let passTime: @Sendable (_ store: any Datastore, _ seconds: Int) async throws -> Void

    var testDescription: String { name }

    /// Every backend this run can reach: memory and SQLite always, etcd when
    /// WGMESH_ETCD_TESTS is set.
    static let all: [ConformanceBackend] = {
        var backends = [memory, sqlite]
        if etcdEnabled { backends.append(etcd) }
        return backends
    }()

    /// Whether the real-etcd tests run (WGMESH_ETCD_TESTS set).
    static let etcdEnabled = getenv("WGMESH_ETCD_TESTS") != nil

    static let logger = Logger(label: "wgmesh.conformance")

    /// Sleeps in real time, for the backends whose leases run on the wall clock.
    @Sendable static func sleep(_ store: any Datastore, _ seconds: Int) async throws {
        try await Task.sleep(for: .seconds(seconds))
    }
}

/// One test's view of a store: the store and a key prefix no other test uses.
struct ConformanceStore: Sendable {
    /// The store under test.
    let datastore: any Datastore
    /// Every key this test writes starts with it.
    let prefix: String
    /// Where the store came from.
    let backend: ConformanceBackend

    /// The full key for `name` under this test's prefix.
    func key(_ name: String) -> String { prefix + name }

    /// Lets lease time pass.
    func passTime(seconds: Int) async throws { try await backend.passTime(datastore, seconds) }

    private static let counter = Atomic<Int>(0)

    /// A prefix unique to this process and test.
    static func uniquePrefix() -> String {
        "/conformance/\(getpid())-\(counter.add(1, ordering: .relaxed).newValue)/"
    }
}

extension ConformanceBackend {
    /// Runs `body` with a fresh store and prefix, holding the shared gate
    /// (alone when `exclusive`), and closes the store whatever happens.
    func withStore<R: Sendable>(
        exclusive: Bool = false, _ body: (ConformanceStore) async throws -> R
    ) async throws -> R {
        try await withGate(exclusive: exclusive) {
            let store = ConformanceStore(datastore: try await makeStore(), prefix: ConformanceStore.uniquePrefix(),
                                         backend: self)
            do {
                let result = try await body(store)
                await store.datastore.close()
                return result
            } catch {
                await store.datastore.close()
                throw error
            }
        }
    }

    /// Runs `body` holding the gate, for a case that manages its own store.
    /// Only the shared etcd member needs it; private stores cannot disturb each other.
    func withGate<R: Sendable>(exclusive: Bool = false, _ body: () async throws -> R) async throws -> R {
        guard !isolated else { return try await body() }
        await ConformanceGate.shared.acquire(exclusive: exclusive)
        do {
            let result = try await body()
            await ConformanceGate.shared.release(exclusive: exclusive)
            return result
        } catch {
            await ConformanceGate.shared.release(exclusive: exclusive)
            throw error
        }
    }
}
