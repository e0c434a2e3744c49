import Synchronization
import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// Writes of its own that land just before the allocator's transactions:
/// another node's claim arriving between an allocator's list and its CAS.
private final class Interference: Sendable {
    private let pending = Mutex<[(String, [UInt8])]>([])
    private let everyTime = Mutex<(@Sendable (Int) -> (String, [UInt8]))?>(nil)

    /// Writes `value` at `key` right before the next transaction.
    func interfere(key: String, value: [UInt8]) { pending.withLock { $0.append((key, value)) } }

    /// Before every transaction, writes what `write` returns for its number.
    func interfereEveryTime(_ write: @escaping @Sendable (Int) -> (String, [UInt8])) {
        everyTime.withLock { $0 = write }
    }

    /// A store over a fresh in-memory one that makes these writes.
    func store() -> RacingDatastore {
        RacingDatastore(InMemoryDatastore(), closesBase: true) { [self] number, base in
            var writes = pending.withLock { pending in defer { pending.removeAll() }; return pending }
            if let write = everyTime.withLock({ $0 }) { writes.append(write(number)) }
            for (key, value) in writes { try await base.put(key, value: value) }
        }
    }
}

@Suite("IPAM lost race")
struct IPAMLostRaceTests {
    private typealias F = IPAMFixtures

    @Test("a claim that lands between the list and the CAS makes the allocator list again and take the next block")
    func lostRace() async throws {
        let race = Interference(), store = race.store()
        let allocator = F.allocator(store)
        let rival = BlockAffinity(node: "rival", cidr: F.network("10.65.0.0/26"))
        race.interfere(key: allocator.key(for: rival), value: ResourceCodec.encodeJSON(rival))
        let blocks = try await allocator.ensureBlocks(node: F.node("a"), pools: [F.pool("p", "10.65.0.0/16")])
        #expect(blocks.map(\.spec.cidr) == [F.network("10.65.0.64/26")])
        #expect(store.transactionCount == 2)
        let claims = try await allocator.claims()
        #expect(claims.winners.count == 2)
        #expect(Set(claims.claims.map(\.resource.spec.cidr)).count == 2)
    }

    @Test("a change elsewhere in the store does not cost a retry")
    func unrelatedWrite() async throws {
        let race = Interference(), store = race.store()
        let allocator = F.allocator(store)
        race.interfere(key: F.root + "nodes/someone", value: Array("{}".utf8))
        _ = try await allocator.ensureBlocks(node: F.node("a"), pools: [F.pool("p", "10.65.0.0/16")])
        #expect(store.transactionCount == 1)
    }

    @Test("contention that never ends gives up with a conflict after maxAttempts")
    func givesUp() async throws {
        let race = Interference(), store = race.store()
        let allocator = BlockAllocator(datastore: store, root: F.root, logger: F.logger, maxAttempts: 3)
        // A fresh rival claim (outside the pool) lands before every CAS attempt.
        race.interfereEveryTime { number in
            let rival = BlockAffinity(node: "rival\(number)", cidr: F.network("10.66.\(number).0/26"))
            return (allocator.key(for: rival), ResourceCodec.encodeJSON(rival))
        }
        do {
            _ = try await allocator.ensureBlocks(node: F.node("a"), pools: [F.pool("p", "10.65.0.0/16")])
            Issue.record("the allocator claimed a block although every attempt lost")
        } catch let error as DatastoreError {
            #expect(error.code == .conflict)
            #expect(error.reason.contains("after 3 attempts"))
        }
        #expect(store.transactionCount == 3)
    }
}
