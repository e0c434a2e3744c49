import Testing
import WGMeshAgent
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

@Suite struct NodePublisherLivenessTests {
    @Test func keepsTheLivenessKeyUnderALeaseAndRemovesItOnCancel() async throws {
        let fixture = try await PublisherFixture()
        let key = fixture.store.livenessKey(node: "node-a")
        let publisher = fixture.publisher
        let task = Task { await publisher.keepAlive(node: "node-a", ttlSeconds: 1) }
        try await eventually("the liveness key is written") { try await fixture.datastore.get(key) != nil }
        let written = try #require(try await fixture.datastore.get(key))
        let lease = try #require(written.lease)
        let value = try JSONParser.parse(written.value)
        #expect(value["node"] == .string("node-a"))
        guard case .integer(let since)? = value["since"] else {
            Issue.record("since is not an integer: \(value)")
            return
        }
        #expect(since > 1_600_000_000)

        // The lease expires (an outage longer than the TTL): a new one is granted and the key comes back.
        fixture.datastore.advanceClock(seconds: 5)
        #expect(fixture.datastore.remainingSeconds(of: lease) == nil)
        try await eventually("the key comes back under a new lease") {
            guard let again = try await fixture.datastore.get(key) else { return false }
            return again.lease != nil && again.lease != lease
        }

        task.cancel()
        await task.value
        #expect(try await fixture.datastore.get(key) == nil)
    }
}
