import Testing
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Create, get, update with compare-and-swap, list and delete, per kind, on SQLite.
@Suite("Store CRUD")
struct StoreCRUDTests {
    /// Runs the same life cycle for one kind: `setup` are the records the
    /// rules need, `make` the record under test and `change` an edit of it.
    func lifeCycle<R: Resource>(
        setup: [any Resource] = [], _ make: R, change: (inout R) -> Void, namespace: String? = nil
    ) async throws {
        try await withStore { store in
            try await store.createAll(setup)
            let created = try await store.create(make)
            #expect(created.createRevision == created.modRevision)
            #expect(created.resource.metadata.resourceVersion == String(created.modRevision))

            let name = make.metadata.name
            let got = try #require(try await store.get(R.self, name: name, namespace: namespace))
            #expect(got.resource == created.resource)

            await #expect(throws: DatastoreError.self) { try await store.create(make) }

            var edited = got.resource
            change(&edited)
            let updated = try await store.update(edited)
            #expect(updated.modRevision > created.modRevision)
            #expect(updated.createRevision == created.createRevision)

            // The old revision is stale now: compare-and-swap refuses it.
            let stale = try await #require(throws: DatastoreError.self) { try await store.update(edited) }
            #expect(stale.code == .conflict)

            var noVersion = edited
            noVersion.metadata.resourceVersion = nil
            let missing = try await #require(throws: DatastoreError.self) { try await store.update(noVersion) }
            #expect(missing.code == .invalidRecord)

            let listed = try await store.list(R.self)
            #expect(listed.items.map(\.resource).contains(updated.resource))
            #expect(listed.rejected.isEmpty)

            #expect(try await store.delete(R.self, name: name, namespace: namespace))
            #expect(try await store.get(R.self, name: name, namespace: namespace) == nil)
            #expect(try await !store.delete(R.self, name: name, namespace: namespace))
        }
    }

    @Test func ipPool() async throws {
        try await lifeCycle(Fixture.pool("pool-a", "10.65.0.0/16")) { $0.spec.disabled = true }
    }

    @Test func encryptionConfig() async throws {
        try await lifeCycle(EncryptionConfig()) { $0.spec.strictMode = true }
    }

    @Test func blockAffinity() async throws {
        try await lifeCycle(setup: [Fixture.pool("pool-a", "10.65.0.0/16")], Fixture.affinity("node-a", "10.65.0.64/26")) {
            $0.metadata.labels["team"] = "net"
        }
    }

    @Test func node() async throws {
        try await lifeCycle(Fixture.node("node-a", key: 1)) { $0.spec.addresses.append(try! IPAddress("2001:db8::1")) }
    }

    @Test func workloadEndpoint() async throws {
        try await lifeCycle(
            setup: Fixture.cluster(), Fixture.endpoint("pod-1", node: "node-a", namespace: "web", ips: ["10.65.0.5/32"]),
            change: { $0.spec.ips.append(Fixture.net("10.65.0.6/32")) }, namespace: "web")
    }

    @Test func nodeStatusIsStoredApartAndReturnedWithTheNode() async throws {
        try await withStore { store in
            var node = Fixture.node("node-a", key: 1)
            node.status = NodeStatus(updated: 5)
            let created = try await store.create(node)
            #expect(created.resource.status == nil, "a written Node's status is ignored: only writeStatus writes it")

            let status = NodeStatus(updated: 1_700_000_000, peers: [PeerStatus(node: "node-b", publicKey: Fixture.key(2),
                                                                              receivedBytes: 7, state: "ok")])
            try await store.writeStatus(status, node: "node-a")
            #expect(try await store.get(Node.self, name: "node-a")?.resource.status == status)
            #expect(try await store.list(Node.self).items.first?.resource.status == status)
            // The status write did not touch the node's own record.
            #expect(try await store.get(Node.self, name: "node-a")?.modRevision == created.modRevision)
        }
    }

    @Test func keysFollowTheLayout() async throws {
        try await withStore { store in
            #expect(store.key(for: Fixture.pool("p", "10.0.0.0/8")) == "/t/ippools/p")
            #expect(store.key(for: Fixture.node("n")) == "/t/nodes/n")
            #expect(store.key(for: EncryptionConfig()) == "/t/encryptionconfigs/default")
            #expect(store.key(for: Fixture.affinity("n", "10.0.0.0/26")) == "/t/blockaffinities/n/n-10-0-0-0-26")
            #expect(store.key(for: Fixture.endpoint("p", node: "n", namespace: "ns", ips: []))
                == "/t/workloadendpoints/n/ns/p")
            #expect(store.prefix(for: BlockAffinity.self, node: "n") == "/t/blockaffinities/n/")
            #expect(store.prefix(for: IPPool.self, node: "n") == "/t/ippools/")
        }
    }

    @Test func fiveThousandNodesListInNameOrder() async throws {
        try await withStore { store in
            let nodes = (0..<5000).map { index in
                var key = [UInt8](repeating: 0, count: 32)
                key[0] = UInt8(index & 0xff)
                key[1] = UInt8(index >> 8)
                key[31] = 1   // never the all-zero key, which validation refuses
                return Node(metadata: ObjectMeta(name: "node-\(index)"),
                            spec: NodeSpec(wireguard: NodeWireGuard(publicKey: try! WireGuardKey(rawBytes: key))))
            }
            _ = try await store.datastore.transaction(
                [], nodes.map { .put(store.key(for: $0), value: ResourceCodec.encodeJSON($0), lease: nil) })
            let list = try await store.list(Node.self)
            #expect(list.rejected.isEmpty)
            #expect(list.items.count == 5000)
            let inNameOrder = list.items.map(\.resource.metadata.name) == nodes.map(\.metadata.name).sorted()
            #expect(inNameOrder)
        }
    }

    @Test func listAnyWrapsEachRecord() async throws {
        try await withStore { store in
            try await store.createAll([Fixture.pool("b", "10.2.0.0/16"), Fixture.pool("a", "10.1.0.0/16")])
            let list = try await store.listAny(IPPool.self)
            #expect(list.items.map(\.resource.metadata.name) == ["a", "b"])
            #expect(list.items.allSatisfy { $0.resource.kind == IPPool.kind })
            #expect(try await store.getAny(IPPool.self, name: "b")?.resource.metadata.name == "b")
            #expect(try await store.getAny(IPPool.self, name: "c") == nil)
        }
    }
}
