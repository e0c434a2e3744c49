import Logging
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// A store with pools, and a publisher over it.
struct PublisherFixture {
    static let logger = Logger(label: "publisher-test") { _ in SwiftLogNoOpLogHandler() }
    let datastore = InMemoryDatastore()
    let store: ResourceStore
    let publisher: NodePublisher

    init(pools: [IPPool] = [PublisherFixture.pool("v4", "10.65.0.0/16"), PublisherFixture.pool("v6", "fd00:65::/48")])
        async throws
    {
        store = ResourceStore(datastore: datastore, logger: Self.logger)
        publisher = NodePublisher(store: store, logger: Self.logger)
        for pool in pools { _ = try await store.create(pool) }
    }

    static func network(_ text: String) -> IPNetwork { try! IPNetwork(text) }
    static func address(_ text: String) -> IPAddress { try! IPAddress(text) }
    static func key(_ byte: UInt8) -> WireGuardKey { try! WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32)) }

    static func pool(_ name: String, _ cidr: String, selector: String? = nil) -> IPPool {
        IPPool(metadata: ObjectMeta(name: name),
               spec: IPPoolSpec(cidr: network(cidr), nodeSelector: selector.map { try! LabelSelector($0) } ?? .all))
    }

    static func identity(_ name: String = "node-a", key: UInt8 = 1, addresses: [String] = ["192.0.2.10"],
                         podCIDRs: [String] = [], labels: [String: String] = ["zone": "a"]) -> NodeIdentity
    {
        NodeIdentity(name: name, labels: labels, addresses: addresses.map(address), publicKey: self.key(key),
                     listenPort: 51820, podCIDRs: podCIDRs.map(network))
    }
}

@Suite struct NodePublisherTests {
    @Test func publishesOneBlockPerPoolAndExactFields() async throws {
        let fixture = try await PublisherFixture()
        let stored = try await fixture.publisher.publish(PublisherFixture.identity())
        let node = stored.resource
        #expect(node.metadata.name == "node-a")
        #expect(node.metadata.labels == ["zone": "a"])
        #expect(node.spec.addresses == [PublisherFixture.address("192.0.2.10")])
        #expect(node.spec.blocks == [PublisherFixture.network("10.65.0.0/26"), PublisherFixture.network("fd00:65::/122")])
        #expect(node.spec.wireguard == NodeWireGuard(publicKey: PublisherFixture.key(1), listenPort: 51820,
                                                     interfaceIPv4: PublisherFixture.address("10.65.0.0"),
                                                     interfaceIPv6: PublisherFixture.address("fd00:65::")))
        let read = try #require(try await fixture.store.get(Node.self, name: "node-a"))
        #expect(read.resource.spec == node.spec)
        let claims = try await fixture.store.list(BlockAffinity.self).items.map(\.resource.spec)
        #expect(claims.map(\.node) == ["node-a", "node-a"])
    }

    @Test func publishingTheSameAgainWritesNothing() async throws {
        let fixture = try await PublisherFixture()
        let first = try await fixture.publisher.publish(PublisherFixture.identity())
        let revision = fixture.datastore.currentRevision
        let second = try await fixture.publisher.publish(PublisherFixture.identity())
        #expect(fixture.datastore.currentRevision == revision)
        #expect(second.modRevision == first.modRevision)
    }

    @Test func aChangedAddressIsOneUpdate() async throws {
        let fixture = try await PublisherFixture()
        let first = try await fixture.publisher.publish(PublisherFixture.identity())
        let revision = fixture.datastore.currentRevision
        let second = try await fixture.publisher.publish(PublisherFixture.identity(addresses: ["192.0.2.20"]))
        #expect(fixture.datastore.currentRevision == revision + 1)
        #expect(second.createRevision == first.createRevision)
        #expect(second.resource.spec.addresses == [PublisherFixture.address("192.0.2.20")])
        #expect(second.resource.spec.blocks == first.resource.spec.blocks)
    }

    @Test func claimsTheConfiguredPodCIDRsExactly() async throws {
        let fixture = try await PublisherFixture()
        let stored = try await fixture.publisher.publish(PublisherFixture.identity(podCIDRs: ["10.65.3.64/26"]))
        #expect(stored.resource.spec.blocks == [PublisherFixture.network("10.65.3.64/26")])
        #expect(stored.resource.spec.wireguard?.interfaceIPv4 == PublisherFixture.address("10.65.3.64"))
        #expect(stored.resource.spec.wireguard?.interfaceIPv6 == nil)
        let claims = try await fixture.store.list(BlockAffinity.self).items.map(\.resource.spec.cidr)
        #expect(claims == [PublisherFixture.network("10.65.3.64/26")])
        // Again: the claim is kept, nothing is written.
        let revision = fixture.datastore.currentRevision
        _ = try await fixture.publisher.publish(PublisherFixture.identity(podCIDRs: ["10.65.3.64/26"]))
        #expect(fixture.datastore.currentRevision == revision)
    }

    @Test(arguments: [
        ("172.16.0.0/26", "is not inside any IPPool"),
        ("10.65.0.0/24", "is not a block of IPPool v4"),
        ("10.65.0.1/26", "is not a block of IPPool v4"),
    ])
    func refusesAPodCIDRThatIsNotABlockOfAPool(cidr: String, problem: String) async throws {
        let fixture = try await PublisherFixture()
        let error = await #expect(throws: AgentError.self) {
            try await fixture.publisher.publish(PublisherFixture.identity(podCIDRs: [cidr]))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.reason.contains(problem) == true)
        #expect(try await fixture.store.get(Node.self, name: "node-a") == nil)
        #expect(try await fixture.store.list(BlockAffinity.self).items.isEmpty)
    }

    @Test func refusesAPodCIDRAnotherNodeOwns() async throws {
        let fixture = try await PublisherFixture()
        _ = try await fixture.publisher.publish(PublisherFixture.identity("node-b", key: 2, podCIDRs: ["10.65.1.0/26"]))
        let error = await #expect(throws: AgentError.self) {
            try await fixture.publisher.publish(PublisherFixture.identity(podCIDRs: ["10.65.1.0/26"]))
        }
        #expect(error?.reason.contains("already claimed by node node-b") == true)
    }

    @Test func aPublicKeyAnotherNodeHasNamesThatNode() async throws {
        let fixture = try await PublisherFixture()
        _ = try await fixture.publisher.publish(PublisherFixture.identity("node-b", key: 7))
        let error = await #expect(throws: AgentError.self) {
            try await fixture.publisher.publish(PublisherFixture.identity("node-a", key: 7))
        }
        #expect(error?.code == .datastore)
        #expect(error?.reason.contains("node node-b already publishes") == true)
        #expect(error?.reason.contains("state directory copied") == true)
        #expect(try await fixture.store.get(Node.self, name: "node-a") == nil)
    }

    @Test func withoutASelectingPoolItPublishesNoBlocks() async throws {
        let fixture = try await PublisherFixture(pools: [PublisherFixture.pool("gpu", "10.70.0.0/16", selector: "gpu == 'yes'")])
        let stored = try await fixture.publisher.publish(PublisherFixture.identity())
        #expect(stored.resource.spec.blocks.isEmpty)
        #expect(stored.resource.spec.wireguard?.interfaceIPv4 == nil)
        #expect(try await fixture.store.list(BlockAffinity.self).items.isEmpty)
    }

    @Test func interfaceAddressesAreTheFirstBlockInAddressOrder() {
        let blocks = ["10.65.10.0/26", "fd00::40/122", "10.65.2.0/26", "fd00::/122"].map(PublisherFixture.network)
        let addresses = NodePublisher.interfaceAddresses(blocks: blocks)
        #expect(addresses.v4 == PublisherFixture.address("10.65.2.0"))
        #expect(addresses.v6 == PublisherFixture.address("fd00::"))
    }
}
