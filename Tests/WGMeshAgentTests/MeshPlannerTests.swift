import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// The planner on small hand-built meshes: peers, allowed IPs, routes, rules.
@Suite("Mesh planner")
struct MeshPlannerTests {
    private typealias T = TestMesh

    @Test("two nodes: the other node is a peer with its block and tunnel IP; our block is thrown")
    func twoNodes() throws {
        var mesh = TestMesh()
        mesh.node("a", key: 1, blocks: ["10.65.0.0/26"], ipv4: "10.64.0.1")
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26"], ipv4: "10.64.0.2", port: 51999)
        let plan = mesh.plan()

        #expect(plan.device.privateKey == T.privateKey)
        #expect(plan.device.listenPort == 51820)
        #expect(plan.device.fwmark == 0x100000)
        let peer = try #require(plan.peer(2))
        #expect(plan.device.peers.count == 1)
        #expect(peer.endpoint == Endpoint(address: T.address("192.0.2.2"), port: 51999))
        #expect(peer.persistentKeepalive == 0)
        #expect(peer.allowedIPs == [T.network("10.64.0.2/32"), T.network("10.65.0.64/26")])
        #expect(plan.routes == [PlannedRoute(T.network("10.64.0.2/32"), .wireGuard),
                                PlannedRoute(T.network("10.65.0.0/26"), .throw),
                                PlannedRoute(T.network("10.65.0.64/26"), .wireGuard)])
        #expect(plan.ruleFamilies == [.v4])
        #expect(plan.interfaceAddresses == [T.network("10.64.0.1/32")])
        #expect(plan.peerNodes == [T.publicKey(2): "b"])
        #expect(plan.excludedNodes.isEmpty)
        #expect(plan.conflicts.isEmpty)
        #expect(plan.mtu == 1440)
    }

    @Test("three nodes: each other node is a peer, sorted by public key")
    func threeNodes() {
        var mesh = TestMesh()
        mesh.node("c", key: 9, blocks: ["10.65.0.128/26"])
        mesh.node("a", key: 5, blocks: ["10.65.0.0/26"])
        mesh.node("b", key: 3, blocks: ["10.65.0.64/26"])
        let plan = mesh.plan()

        #expect(plan.device.peers.map(\.publicKey) == [T.publicKey(3), T.publicKey(9)])
        #expect(plan.peer(3)?.allowedIPs == [T.network("10.65.0.64/26")])
        #expect(plan.peer(9)?.allowedIPs == [T.network("10.65.0.128/26")])
        #expect(plan.peerNodes == [T.publicKey(3): "b", T.publicKey(9): "c"])
        #expect(plan.routes.map(\.action) == [.throw, .wireGuard, .wireGuard])
    }

    @Test("a pool with encryption None: its blocks are thrown, on peers and on us; a peer's are allowed IPs for replies only")
    func plaintextPool() throws {
        var mesh = TestMesh()
        mesh.pool("clear", "10.66.0.0/16", encryption: .none)
        mesh.pool("secret", "10.65.0.0/16")
        mesh.node("a", key: 1, blocks: ["10.65.0.0/26", "10.66.0.0/26"])
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26", "10.66.0.64/26"], ipv4: "10.64.0.2")
        let plan = mesh.plan()

        let peer = try #require(plan.peer(2))
        // 10.66.0.64/26 is on the peer so that what b encrypts from it (replies to our
        // encrypted pods) passes WireGuard's source check; we still send to it in plaintext.
        #expect(peer.allowedIPs == [T.network("10.64.0.2/32"), T.network("10.65.0.64/26"), T.network("10.66.0.64/26")])
        #expect(plan.action("10.66.0.64/26") == .throw)
        #expect(plan.action("10.66.0.0/26") == .throw)
        #expect(plan.action("10.65.0.0/26") == .throw)
        #expect(plan.action("10.65.0.64/26") == .wireGuard)
    }

    @Test("a node with every block in a None pool and no tunnel IP stays a peer, its blocks for replies only")
    func peerWithNothingEncrypted() throws {
        var mesh = TestMesh()
        mesh.pool("clear", "10.66.0.0/16", encryption: .none)
        mesh.node("a", key: 1, blocks: ["10.66.0.0/26"])
        mesh.node("b", key: 2, blocks: ["10.66.0.64/26"])
        let plan = mesh.plan()

        #expect(try #require(plan.peer(2)).allowedIPs == [T.network("10.66.0.64/26")])
        #expect(plan.routes.allSatisfy { $0.action == .throw })
        #expect(plan.ruleFamilies.isEmpty)
    }

    @Test("a block outside every pool is encrypted (the safe default)")
    func blockWithoutPool() {
        var mesh = TestMesh()
        mesh.pool("clear", "10.66.0.0/16", encryption: .none)
        mesh.node("a", key: 1)
        mesh.node("b", key: 2, blocks: ["10.99.0.0/26"])
        #expect(mesh.plan().peer(2)?.allowedIPs == [T.network("10.99.0.0/26")])
    }

    @Test("the most specific pool decides, whatever order the pools come in", arguments: [false, true])
    func nestedPools(reversed: Bool) {
        var mesh = TestMesh()
        mesh.pool("wide", "10.0.0.0/8")
        mesh.pool("narrow", "10.66.0.0/16", encryption: .none)
        if reversed { mesh.pools.reverse() }
        mesh.node("a", key: 1)
        mesh.node("b", key: 2, blocks: ["10.66.0.0/26", "10.67.0.0/26"])
        let plan = mesh.plan()
        #expect(plan.peer(2)?.allowedIPs == [T.network("10.66.0.0/26"), T.network("10.67.0.0/26")])
        #expect(plan.action("10.66.0.0/26") == .throw)
        #expect(plan.action("10.67.0.0/26") == .wireGuard)
    }

    @Test("keepalive comes from the EncryptionConfig; unset means 0", arguments: [(UInt16?.none, UInt16(0)), (25, 25)])
    func keepalive(configured: UInt16?, expected: UInt16) {
        var mesh = TestMesh()
        mesh.encryption.persistentKeepalive = configured
        mesh.node("a", key: 1)
        mesh.node("b", key: 2)
        mesh.node("c", key: 3)
        #expect(mesh.plan().device.peers.map(\.persistentKeepalive) == [expected, expected])
    }

    @Test("host encryption adds each peer's addresses as host routes; never our own address")
    func hostEncryption() throws {
        var mesh = TestMesh()
        mesh.encryption.hostEncryption = true
        mesh.node("a", key: 1, addresses: ["192.0.2.1"])
        mesh.node("b", key: 2, addresses: ["192.0.2.2", "2001:db8::2"])
        mesh.node("c", key: 3, addresses: ["192.0.2.3", "192.0.2.1"])
        let plan = mesh.plan()

        #expect(plan.peer(2)?.allowedIPs == [T.network("192.0.2.2/32"), T.network("2001:db8::2/128")])
        #expect(plan.peer(3)?.allowedIPs == [T.network("192.0.2.3/32")])
        #expect(plan.action("192.0.2.1/32") == nil)
        #expect(plan.ruleFamilies == [.v4, .v6])

        mesh.encryption.hostEncryption = false
        #expect(mesh.plan().device.peers.allSatisfy { $0.allowedIPs.isEmpty })
    }

    @Test("an address two nodes publish goes to the older node only")
    func contestedAddress() {
        var mesh = TestMesh()
        mesh.encryption.hostEncryption = true
        mesh.node("a", key: 1)
        mesh.node("z-old", key: 2, addresses: ["192.0.2.50", "192.0.2.2"])
        mesh.node("b-new", key: 3, addresses: ["192.0.2.50", "192.0.2.3"])
        let plan = mesh.plan()

        #expect(plan.peer(2)?.allowedIPs == [T.network("192.0.2.2/32"), T.network("192.0.2.50/32")])
        #expect(plan.peer(3)?.allowedIPs == [T.network("192.0.2.3/32")])
        #expect(plan.excludedNodes.isEmpty)
    }

    @Test("a node that loses every allowed IP it would get is left out, with the reason")
    func lostEverything() {
        var mesh = TestMesh()
        mesh.node("a", key: 1, ipv4: "10.64.0.1")
        mesh.node("b", key: 2, ipv4: "10.64.0.9")
        mesh.node("c", key: 3, ipv4: "10.64.0.9")
        mesh.node("d", key: 4, ipv4: "10.64.0.1")
        let plan = mesh.plan()

        #expect(plan.peer(2)?.allowedIPs == [T.network("10.64.0.9/32")])
        #expect(plan.peer(3) == nil)
        #expect(plan.peer(4) == nil)
        #expect(plan.excludedNodes["c"] == "every allowed IP it would get already belongs to an older node")
        #expect(plan.excludedNodes["d"]?.contains("this node's own") == true)
        #expect(plan.routes == [PlannedRoute(T.network("10.64.0.9/32"), .wireGuard)])
    }

    @Test("a peer's block covering our tunnel IP is not an allowed IP; it is thrown instead")
    func blockCoveringLocal() {
        var mesh = TestMesh()
        mesh.node("a", key: 1, ipv4: "10.65.0.70")
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26", "10.65.1.0/26"])
        let plan = mesh.plan()

        #expect(plan.peer(2)?.allowedIPs == [T.network("10.65.1.0/26")])
        #expect(plan.action("10.65.0.64/26") == .throw)
    }

    @Test("a block claimed twice goes to the first claim's node only; the conflict is listed")
    func blockClaimedTwice() {
        var mesh = TestMesh()
        mesh.node("a", key: 1)
        mesh.node("b", key: 2, blocks: ["10.65.0.0/26"])
        mesh.node("c", key: 3, blocks: ["10.65.0.0/26", "10.65.0.64/26"])
        let plan = mesh.plan()

        #expect(plan.peer(2)?.allowedIPs == [T.network("10.65.0.0/26")])
        #expect(plan.peer(3)?.allowedIPs == [T.network("10.65.0.64/26")])
        #expect(plan.conflicts.contains(.blockClaimedTwice(block: T.network("10.65.0.0/26"), loser: "c", owner: "b",
                                                           ownerBlock: T.network("10.65.0.0/26"))))
        #expect(plan.routes.filter { $0.destination == T.network("10.65.0.0/26") }.count == 1)
    }

    @Test("dual stack: v4 and v6 blocks and tunnel IPs, both rule families, endpoint in our family")
    func dualStack() throws {
        var mesh = TestMesh()
        mesh.node("a", key: 1, addresses: ["2001:db8::1", "192.0.2.1"], blocks: ["10.65.0.0/26", "fd65::/122"],
                  ipv4: "10.64.0.1", ipv6: "fd64::1")
        mesh.node("b", key: 2, addresses: ["192.0.2.2", "2001:db8::2"], blocks: ["10.65.0.64/26", "fd65::40/122"],
                  ipv4: "10.64.0.2", ipv6: "fd64::2")
        let plan = mesh.plan()

        let peer = try #require(plan.peer(2))
        #expect(peer.endpoint?.address == T.address("2001:db8::2"))
        #expect(peer.allowedIPs == ["10.64.0.2/32", "10.65.0.64/26", "fd64::2/128", "fd65::40/122"].map(T.network))
        #expect(plan.ruleFamilies == [.v4, .v6])
        #expect(plan.interfaceAddresses == [T.network("10.64.0.1/32"), T.network("fd64::1/128")])
        #expect(plan.action("fd65::/122") == .throw)
        #expect(plan.action("10.65.0.0/26") == .throw)
        #expect(plan.mtu == 1420)
    }

    @Test("a peer with no address in our family is reached on its first address")
    func endpointOtherFamily() {
        var mesh = TestMesh()
        mesh.node("a", key: 1, addresses: ["192.0.2.1"])
        mesh.node("b", key: 2, addresses: ["2001:db8::2", "2001:db8::3"])
        #expect(mesh.plan().peer(2)?.endpoint == Endpoint(address: T.address("2001:db8::2"), port: 51820))
    }

    @Test("MTU: configured, then the EncryptionConfig's, then underlay less overhead; never below 1280",
          arguments: [
              (["192.0.2.1"], 1500, Int?.none, Int?.none, 1440),
              (["2001:db8::1", "192.0.2.1"], 1500, nil, nil, 1420),
              (["192.0.2.1"], 9000, nil, nil, 8940),
              (["192.0.2.1"], 1500, 1400, 1300, 1400),
              (["192.0.2.1"], 1500, nil, 1350, 1350),
              (["192.0.2.1"], 1300, nil, nil, 1280),
              (["2001:db8::1"], 1350, nil, nil, 1280),
              (["192.0.2.1"], 1500, 1000, nil, 1280),
          ])
    func mtu(addresses: [String], underlay: Int, configured: Int?, fromConfig: Int?, expected: Int) {
        var mesh = TestMesh()
        mesh.encryption.mtu = fromConfig
        mesh.node("a", key: 1, addresses: addresses)
        #expect(mesh.plan(underlayMTU: underlay, configuredMTU: configured).mtu == expected)
    }

    @Test("routes are sorted, each destination once, and only throw routes for our own blocks")
    func routeShape() {
        var mesh = TestMesh()
        mesh.pool("clear", "10.66.0.0/16", encryption: .none)
        mesh.node("a", key: 1, blocks: ["10.65.0.0/26", "10.66.0.0/26"], ipv4: "10.64.0.1")
        mesh.node("b", key: 2, blocks: ["10.65.0.64/26", "10.66.0.64/26"], ipv4: "10.64.0.2")
        mesh.node("c", key: nil, blocks: ["10.65.0.128/26"])
        let plan = mesh.plan()

        #expect(plan.routes == plan.routes.sorted())
        #expect(Set(plan.routes.map(\.destination)).count == plan.routes.count)
        #expect(plan.action("10.65.0.128/26") == .throw)
        #expect(plan.routes.count == 6)
    }
}
