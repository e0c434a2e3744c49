import Synchronization
import Testing
import WGMeshDatastore
import WGMeshDatastoreEtcd
import WGMeshTestSupport

@Suite("etcd datastore: failover", .enabled(if: etcdTestsEnabled), .serialized, .timeLimit(.minutes(3)))
struct EtcdFailoverTests {
    @Test("killing the leader loses no acknowledged write, and a watch sees each revision once, in order")
    func killLeader() async throws {
        let cluster = try await EtcdCluster.starting(members: 3)
        defer { cluster.stop() }
        let leader = try await cluster.currentLeader()
        // The leader first, so that the writer's and the watch's connections
        // are the ones that break.
        var options = etcdOptions(cluster, requestTimeout: .seconds(20))
        options.endpoints = Array(options.endpoints[leader...] + options.endpoints[..<leader])
        try await withEtcd(cluster, options) { store in
            let start = try await store.put("mark", value: [])
            let watch = store.watch(prefix: "w/", from: start + 1)
            let total = 300
            let acknowledged = Acknowledged()

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 0..<total {
                        let key = "w/\(index + 1000)"
                        // A put whose outcome is unknown is simply not acknowledged.
                        if let revision = try? await store.put(key, value: key.bytes) {
                            acknowledged.record(key, revision)
                        }
                    }
                }
                group.addTask {
                    while acknowledged.count < total / 4 { try await Task.sleep(for: .milliseconds(10)) }
                    cluster.kill(member: leader)
                }
                try await group.waitForAll()
            }

            let acked = acknowledged.all
            #expect(acked.count > total / 2)
            let list = try await store.list(prefix: "w/")
            let present = Dictionary(uniqueKeysWithValues: list.items.map { ($0.key, $0) })
            for (key, _) in acked {
                #expect(present[key]?.value == key.bytes, "acknowledged \(key) is missing")
            }

            // Read the watch up to the list's revision.
            var events: [WatchEvent] = []
            for try await batch in watch {
                events += batch.events
                if batch.revision >= list.revision || (events.last?.keyValue.modRevision ?? 0) >= list.revision {
                    break
                }
            }
            let revisions = events.map(\.keyValue.modRevision)
            #expect(zip(revisions, revisions.dropFirst()).allSatisfy { $0 < $1 }, "revisions repeat or go back")
            let seen = Set(revisions)
            for (key, revision) in acked {
                #expect(seen.contains(revision), "the watch missed \(key) at \(revision)")
            }
            #expect(Set(events.map(\.keyValue.key)) == Set(present.keys))
        }
    }
}

/// The puts the writer saw succeed, shared with the task that kills the leader.
private final class Acknowledged: Sendable {
    private let puts = Mutex<[String: Revision]>([:])

    func record(_ key: String, _ revision: Revision) { puts.withLock { $0[key] = revision } }
    var count: Int { puts.withLock { $0.count } }
    var all: [String: Revision] { puts.withLock { $0 } }
}
