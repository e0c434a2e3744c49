import Testing
import WGMeshCore
import WGMeshTestSupport
import WGMeshWireGuard

/// For hundreds of random scenarios: one apply converges, a second diff is
/// empty, and an IP kept by the desired state never goes through a wrong owner.
@Suite struct DiffPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    /// Every instant at which a kept IP had neither its old nor its new peer.
    static func windows(seed: UInt64, removal: AllowedIPRemoval) throws -> [String] {
        let scenario = DiffScenario(seed: seed)
        let fake = DiffFixtures.fake(scenario.actual)
        let kept = scenario.keptNetworks
        let config = try WireGuardDiff.changes(from: scenario.actual, to: scenario.desired, allowedIPRemoval: removal)
        var found: [String] = []
        try fake.configure(device: "wg0", with: config) { step, state in
            for (network, owners) in kept {
                let owner = state.owner(of: network)
                if owner != owners.before && owner != owners.after {
                    found.append("seed \(seed): after '\(step)' \(network) is on \(owner.map(\.description) ?? "no peer")")
                }
            }
        }
        return found
    }

    @Test(arguments: AllowedIPRemoval.allCases)
    func oneApplyConvergesAndTheNextDiffIsEmpty(removal: AllowedIPRemoval) throws {
        var converged = 0
        for seed in Self.seeds {
            let scenario = DiffScenario(seed: seed)
            let fake = DiffFixtures.fake(scenario.actual)
            let config = try WireGuardDiff.changes(from: scenario.actual, to: scenario.desired, allowedIPRemoval: removal)
            try fake.configure(device: "wg0", with: config)
            #expect(fake.configureCalls == 1)
            let after = try fake.device(named: "wg0")
            let problems = DiffFixtures.mismatches(after, scenario.desired)
            #expect(problems.isEmpty, "seed \(seed), \(removal): \(problems)")
            let second = try WireGuardDiff.changes(from: after, to: scenario.desired, allowedIPRemoval: removal)
            #expect(second.isEmpty, "seed \(seed), \(removal): second diff has \(second.peers.count) peers")
            if problems.isEmpty && second.isEmpty { converged += 1 }
        }
        #expect(converged == Self.seeds.count)
    }

    @Test(arguments: [AllowedIPRemoval.removeFlag, .sinkPeer])
    func aKeptIPAlwaysHasItsOldOrItsNewPeer(removal: AllowedIPRemoval) throws {
        var checkedMoves = 0
        for seed in Self.seeds {
            let found = try Self.windows(seed: seed, removal: removal)
            #expect(found.isEmpty, "\(found.prefix(3))")
            checkedMoves += DiffScenario(seed: seed).keptNetworks.values.filter { $0.before != $0.after }.count
        }
        // The scenarios must really exercise moves, or this test proves little.
        #expect(checkedMoves > 300)
    }

    @Test func onlyReplaceOpensAWindow() throws {
        let withReplace = try Self.seeds.flatMap { try Self.windows(seed: $0, removal: .replace) }
        #expect(!withReplace.isEmpty, "replace should leave a kept IP without a peer at some instant")
        #expect(withReplace.allSatisfy { $0.contains("no peer") })
    }

    @Test func replacesWindowInOneSmallCase() throws {
        typealias F = DiffFixtures
        let a = F.key(1)
        let device = F.device(peers: [WireGuardPeer(publicKey: a, allowedIPs: [F.net("10.0.0.1/32"), F.net("10.0.0.2/32")])])
        let desired = DesiredDevice(peers: [DesiredPeer(publicKey: a, allowedIPs: [F.net("10.0.0.1/32")])])
        for removal in AllowedIPRemoval.allCases {
            let fake = F.fake(device)
            var orphaned = false
            try fake.configure(device: "wg0", with: try WireGuardDiff.changes(from: device, to: desired, allowedIPRemoval: removal)) {
                _, state in if state.owner(of: F.net("10.0.0.1/32")) == nil { orphaned = true }
            }
            #expect(orphaned == (removal == .replace), "\(removal)")
            #expect(F.mismatches(try fake.device(named: "wg0"), desired).isEmpty)
        }
    }

    @Test(arguments: AllowedIPRemoval.allCases)
    func eachPeerAppearsOnceAndOnlyTheChosenStrategyIsUsed(removal: AllowedIPRemoval) throws {
        for seed in Self.seeds {
            let scenario = DiffScenario(seed: seed)
            let config = try WireGuardDiff.changes(from: scenario.actual, to: scenario.desired, allowedIPRemoval: removal)
            let known = Set(scenario.actual.peers.map(\.publicKey)).union(scenario.desired.peers.map(\.publicKey))
            let real = config.peers.filter { known.contains($0.publicKey) }
            #expect(Set(real.map(\.publicKey)).count == real.count, "seed \(seed): a peer is listed twice")
            let sink = config.peers.filter { !known.contains($0.publicKey) }
            #expect(sink.isEmpty || (removal == .sinkPeer && sink.count == 2 && sink[1].remove), "seed \(seed)")
            #expect(!config.replacePeers)
            #expect(removal == .replace || !config.peers.contains { $0.replaceAllowedIPs }, "seed \(seed)")
            #expect(removal == .removeFlag || !config.peers.contains { !$0.removedAllowedIPs.isEmpty }, "seed \(seed)")
            // Minimal: outside a replace, only IPs the peer does not hold yet are sent.
            let held = Dictionary(scenario.actual.peers.map { ($0.publicKey, Set($0.allowedIPs.map(\.masked))) },
                                  uniquingKeysWith: { first, _ in first })
            for peer in real where !peer.replaceAllowedIPs {
                let old = held[peer.publicKey] ?? []
                #expect(peer.allowedIPs.allSatisfy { !old.contains($0) }, "seed \(seed): re-adds a held IP")
            }
        }
    }
}
