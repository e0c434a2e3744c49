import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshDatastore
import WGMeshResources
import WGMeshTestSupport

/// The planner on generated meshes with every kind of mess (no keys, shared
/// keys, doubly claimed blocks, unclaimed blocks, shared addresses, plaintext
/// pools, selectors): the rules that must hold for any input.
@Suite("Mesh planner on generated meshes")
struct MeshPlannerPropertyTests {
    private typealias T = TestMesh

    /// A random mesh of `count` nodes named n0, n1, ...
    private static func generate(_ count: Int, seed: UInt64) -> TestMesh {
        var random = SplitMix64(seed: seed)
        var mesh = TestMesh()
        mesh.pool("enc", "10.65.0.0/16")
        mesh.pool("clear", "10.66.0.0/16", encryption: .none)
        mesh.pool("enc6", "fd65::/112")
        mesh.encryption.hostEncryption = Bool.random(using: &random)
        mesh.encryption.nodeSelector = [LabelSelector.all, try! LabelSelector("mesh == 'on'"),
                                        try! LabelSelector("mesh != 'off'")].randomElement(using: &random)!
        let span = max(4, count * 2)
        for index in 0..<count {
            let roll = Int.random(in: 0..<100, using: &random)
            let key: Int? = roll < 8 ? nil : (roll < 12 ? index / 2 : index) + 1
            var addresses = ["10.200.\(index / 256).\(index % 256)"]
            if roll % 7 == 0 { addresses = [] }
            if roll % 9 == 0 { addresses.append("10.200.0.\(Int.random(in: 0..<count, using: &random) % 256)") }
            if roll % 5 == 0 { addresses.insert("2001:db8::\(String(index, radix: 16))", at: 0) }
            var blocks: [String] = []
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                // 1,024 /26 blocks fit a /16: larger meshes collide more, which is the point.
            let slot = Int.random(in: 0..<span, using: &random) % 1024
                switch Int.random(in: 0..<3, using: &random) {
                case 0: blocks.append("10.65.\(slot / 4).\(slot % 4 * 64)/26")
                case 1: blocks.append("10.66.\(slot / 4).\(slot % 4 * 64)/26")
                default: blocks.append("fd65::\(String(slot * 64, radix: 16))/122")
                }
            }
            let ipv4 = roll % 11 == 0 ? "10.64.0.1" : "10.64.\(index / 256).\(index % 256)"
            let labels = roll % 6 == 0 ? ["mesh": "off"] : roll % 4 == 0 ? [:] : ["mesh": "on"]
            mesh.node("n\(index)", key: key, addresses: addresses, blocks: Array(Set(blocks)).sorted(),
                      labels: labels, ipv4: ipv4, ipv6: roll % 3 == 0 ? "fd64::\(String(index, radix: 16))" : nil)
            if roll % 13 == 0 { mesh.claim("n\(index)", "10.65.255.0/26") }
        }
        return mesh
    }

    @Test("the rules hold on generated meshes", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func invariants(seed: UInt64) throws {
        let mesh = Self.generate(200, seed: seed)
        var random = SplitMix64(seed: seed &* 31)
        let local = Bool.random(using: &random) ? "n\(Int.random(in: 0..<200, using: &random))" : "n999"
        try Self.check(mesh, local: local)
    }

    @Test("a 5,000-node mesh plans with the same rules")
    func large() throws {
        try Self.check(Self.generate(5000, seed: 42), local: "n17")
    }

    @Test("shuffled input gives the identical plan", arguments: [7, 8, 9] as [UInt64])
    func deterministic(seed: UInt64) {
        let mesh = Self.generate(150, seed: seed)
        var random = SplitMix64(seed: seed)
        var shuffled = mesh
        shuffled.nodes.shuffle(using: &random)
        shuffled.claims.shuffle(using: &random)
        shuffled.pools.shuffle(using: &random)
        for name in ["n3", "n40", "n149"] {
            let plan = mesh.plan(for: name)
            #expect(plan == shuffled.plan(for: name))
            #expect(plan == mesh.plan(for: name))
        }
    }

    /// Checks every rule on the plan for `local`.
    private static func check(_ mesh: TestMesh, local: String) throws {
        let plan = mesh.plan(for: local)
        let view = ClusterView(nodes: mesh.nodes, affinities: mesh.claims)
        let localNode = mesh.nodes.first { $0.resource.metadata.name == local }?.resource

        // Every allowed IP is on exactly one peer, and is exactly a tunnel route,
        // but for unencrypted pools' blocks: on the peer (so replies it encrypts are
        // accepted) yet thrown, so what we send them stays plaintext.
        let allowed = plan.device.peers.flatMap(\.allowedIPs)
        #expect(Set(allowed).count == allowed.count)
        let tunnel = plan.routes.filter { $0.action == .wireGuard }.map(\.destination)
        let thrown = Set(plan.routes.filter { $0.action == .throw }.map(\.destination))
        let sourceOnly = Set(allowed).intersection(thrown)
        #expect(Set(tunnel) == Set(allowed).subtracting(sourceOnly))
        #expect(tunnel.count + sourceOnly.count == allowed.count)
        for network in sourceOnly {
            #expect(mesh.pools.contains { $0.spec.encryption == .none && $0.spec.cidr.covers(network) })
        }

        // Routes: sorted, one per destination, the rule families those of tunnel routes.
        #expect(plan.routes == plan.routes.sorted())
        #expect(Set(plan.routes.map(\.destination)).count == plan.routes.count)
        #expect(plan.ruleFamilies == Set(tunnel.map(\.address.family)))

        // The local node's own networks: never an allowed IP, its blocks only thrown.
        var own = view.blockOwners.filter { $0.value == local }.map(\.key)
        let localBlocks = own
        if let localNode {
            own += localNode.spec.blocks + localNode.spec.addresses.map { T.network($0.description) }
            own += [localNode.spec.wireguard?.interfaceIPv4, localNode.spec.wireguard?.interfaceIPv6]
                .compactMap { $0.map { T.network($0.description) } }
        }
        for network in allowed {
            #expect(!own.contains { $0.overlaps(network) }, "\(network) overlaps one of \(local)'s networks")
        }
        for block in localBlocks where plan.excludedNodes[local] == nil {
            #expect(plan.action(block.description) == .throw)
        }

        // Every node is a peer or excluded with a reason, never both; peers are selected.
        let peers = Set(plan.peerNodes.values)
        #expect(peers.count == plan.device.peers.count)
        #expect(plan.device.peers.map(\.publicKey) == plan.device.peers.map(\.publicKey).sorted())
        for stored in mesh.nodes where stored.resource.metadata.name != local {
            let name = stored.resource.metadata.name
            #expect(peers.contains(name) != (plan.excludedNodes[name] != nil), "\(name)")
            if peers.contains(name) {
                #expect(mesh.encryption.nodeSelector.matches(stored.resource.metadata.labels))
            }
        }
        if plan.excludedNodes[local] != nil {
            #expect(plan.device.peers.isEmpty && plan.routes.isEmpty && plan.ruleFamilies.isEmpty)
        }
        #expect(plan.conflicts == view.conflicts)
    }
}
