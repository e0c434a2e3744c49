import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Who takes part in the mesh, and the one-line reason for everyone who does not.
@Suite("Mesh planner membership")
struct MeshPlannerMembershipTests {
    private typealias T = TestMesh

    /// A plan with no peers, no routes and no rules: everything stays plaintext.
    private func expectOutside(_ plan: MeshPlan, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(plan.device.peers.isEmpty, sourceLocation: sourceLocation)
        #expect(plan.routes.isEmpty, sourceLocation: sourceLocation)
        #expect(plan.ruleFamilies.isEmpty, sourceLocation: sourceLocation)
        #expect(plan.peerNodes.isEmpty, sourceLocation: sourceLocation)
        #expect(plan.device.privateKey == T.privateKey, sourceLocation: sourceLocation)
        #expect(plan.device.listenPort == 51820, sourceLocation: sourceLocation)
        #expect(plan.device.fwmark == 0x100000, sourceLocation: sourceLocation)
    }

    @Test("a node the selector does not pick is left out, and its blocks are thrown")
    func otherNotSelected() throws {
        var mesh = TestMesh()
        mesh.encryption.nodeSelector = try LabelSelector("mesh == 'on' && zone in {'b', 'a'}")
        mesh.node("a", key: 1, labels: ["mesh": "on", "zone": "a"])
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26"], labels: ["mesh": "off", "zone": "a"])
        mesh.node("c", key: 3, blocks: ["10.65.0.128/26"], labels: ["mesh": "on", "zone": "b"])
        let plan = mesh.plan()

        #expect(plan.device.peers.map(\.publicKey) == [T.publicKey(3)])
        #expect(plan.excludedNodes == [
            "b": "not selected by the EncryptionConfig nodeSelector mesh == 'on' && zone in {'a', 'b'}",
        ])
        #expect(plan.action("10.65.0.64/26") == .throw)
        #expect(plan.action("10.65.0.128/26") == .wireGuard)
    }

    @Test("when the selector does not pick this node, it has no peers, routes or rules")
    func localNotSelected() throws {
        var mesh = TestMesh()
        mesh.encryption.nodeSelector = try LabelSelector("mesh == 'on'")
        mesh.node("a", key: 1, blocks: ["10.65.0.0/26"], ipv4: "10.64.0.1")
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26"], labels: ["mesh": "on"])
        mesh.node("c", key: nil, labels: ["mesh": "on"])
        let plan = mesh.plan()

        expectOutside(plan)
        #expect(plan.excludedNodes == [
            "a": "not selected by the EncryptionConfig nodeSelector mesh == 'on'",
            "b": "this node does not take part",
            "c": "has no WireGuard key yet",
        ])
        #expect(plan.interfaceAddresses == [T.network("10.64.0.1/32")])
    }

    @Test("encryption disabled: no peers, and every node says why")
    func disabled() {
        var mesh = TestMesh()
        mesh.encryption.enabled = false
        mesh.node("a", key: 1, blocks: ["10.65.0.0/26"])
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26"])
        let plan = mesh.plan()

        expectOutside(plan)
        #expect(plan.excludedNodes == ["a": "encryption is disabled", "b": "encryption is disabled"])
    }

    @Test("no EncryptionConfig stored: the defaults apply and the mesh is on")
    func defaultsWithoutConfig() {
        var mesh = TestMesh()
        mesh.node("a", key: 1)
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26"])
        var snapshot = mesh.snapshot
        snapshot.encryption = nil
        let plan = MeshPlanner.plan(snapshot, local: T.local("a"))
        #expect(plan.peerNodes == [T.publicKey(2): "b"])
    }

    @Test("nodes that share a key are all left out, the conflict is listed, and their blocks are thrown")
    func duplicateKeys() {
        var mesh = TestMesh()
        mesh.node("a", key: 1)
        mesh.node("b", key: 7, blocks: ["10.65.0.64/26"])
        mesh.node("c", key: 7, blocks: ["10.65.0.128/26"])
        mesh.node("d", key: 8)
        let plan = mesh.plan()

        #expect(plan.device.peers.map(\.publicKey) == [T.publicKey(8)])
        #expect(plan.excludedNodes == ["b": "shares its public key with c", "c": "shares its public key with b"])
        #expect(plan.conflicts == [.duplicatePublicKey(T.publicKey(7), nodes: ["b", "c"])])
        #expect(plan.action("10.65.0.64/26") == .throw)
        #expect(plan.action("10.65.0.128/26") == .throw)
    }

    @Test("when this node shares its key, it takes no part")
    func localSharesKey() {
        var mesh = TestMesh()
        mesh.node("a", key: 7)
        mesh.node("b", key: 7)
        mesh.node("c", key: 3)
        let plan = mesh.plan()

        expectOutside(plan)
        #expect(plan.excludedNodes == ["a": "shares its public key with b", "b": "shares its public key with a",
                                       "c": "this node does not take part"])
    }

    @Test("a node with no key or no address is not a peer yet")
    func notReady() {
        var mesh = TestMesh()
        mesh.node("a", key: 1)
        mesh.node("b", key: nil, blocks: ["10.65.0.64/26"])
        mesh.node("c", key: 3, addresses: [], blocks: ["10.65.0.128/26"])
        let plan = mesh.plan()

        #expect(plan.device.peers.isEmpty)
        #expect(plan.excludedNodes == ["b": "has no WireGuard key yet", "c": "has no underlay address"])
        #expect(plan.routes == [PlannedRoute(T.network("10.65.0.64/26"), .throw),
                                PlannedRoute(T.network("10.65.0.128/26"), .throw)])
    }

    @Test("this node without a key or an address takes no part", arguments: [
        (Int?.none, ["192.0.2.1"], "has no WireGuard key yet"),
        (1, [], "has no underlay address"),
    ])
    func localNotReady(key: Int?, addresses: [String], reason: String) {
        var mesh = TestMesh()
        mesh.node("a", key: key, addresses: addresses)
        mesh.node("b", key: 2)
        let plan = mesh.plan()

        expectOutside(plan)
        #expect(plan.excludedNodes == ["a": reason, "b": "this node does not take part"])
    }

    @Test("this node missing from the datastore: no peers, no routes, and the MTU still from the underlay")
    func localMissing() {
        var mesh = TestMesh()
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26"])
        let plan = mesh.plan(for: "a")

        expectOutside(plan)
        #expect(plan.excludedNodes == ["a": "has not published its Node yet", "b": "this node does not take part"])
        #expect(plan.interfaceAddresses.isEmpty)
        #expect(plan.mtu == 1440)
    }
}
