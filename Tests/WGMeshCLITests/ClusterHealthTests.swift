import Testing
import WGMeshAgent
import WGMeshResources

/// The cluster view's model: who reports, what each cell says, and the
/// one-line explanations of what is broken.
@Suite struct ClusterHealthTests {
    typealias F = ClusterFixtures

    @Test func aHealthyMeshHasOkCellsSelfOnTheDiagonalAndNoProblems() throws {
        let health = ClusterHealth(nodes: F.mesh(3), live: F.live(3), now: F.now)
        #expect(health.isHealthy)
        #expect(health.nodes.map(\.name) == ["node-a", "node-b", "node-c"])
        #expect(health.nodes.allSatisfy { $0.reporting == .reporting })
        #expect(health.cells.count == 9)
        for observer in health.nodes {
            for peer in health.nodes {
                let cell = try #require(health.cell(observer.name, peer.name))
                #expect(cell.health == (observer.name == peer.name ? .this : .ok))
            }
        }
        #expect(health.edges.count == 3)
        #expect(health.edges.allSatisfy { $0.style == .ok })
    }

    @Test func nodesAreSortedWhateverTheInputOrder() {
        let health = ClusterHealth(nodes: F.mesh(3).reversed(), live: F.live(3), now: F.now)
        #expect(health.nodes.map(\.name) == ["node-a", "node-b", "node-c"])
        #expect(health.cell("node-a", "node-c")?.peer == "node-c")
    }

    /// Whether a node's row is believed: liveness, a status, and its age.
    @Test(arguments: [
        (false, nil, ReportingState.absent),
        (false, 10, .noLiveness),
        (true, nil, .noStatus),
        (true, 361, .oldStatus),
        (true, 360, .reporting),
        (true, 0, .reporting),
    ] as [(Bool, Int64?, ReportingState)])
    func reportingRule(live: Bool, age: Int64?, expected: ReportingState) throws {
        var nodes = F.mesh(2)
        nodes[1].status = age.map { F.status([F.peer(1, "ok")], age: $0) }
        let health = ClusterHealth(nodes: nodes, live: live ? F.live(2) : ["node-a"], now: F.now)
        #expect(health.nodes[1].reporting == expected)
        #expect(health.nodes[1].statusAge == age)
        let row = try #require(health.cell("node-b", "node-a"))
        #expect(row.health == (expected == .reporting ? .ok : .down))
        #expect(health.isHealthy == (expected == .reporting))
        #expect(health.problems.contains { $0.kind == .node } == (expected != .reporting))
    }

    @Test func aStoppedDaemonIsExplainedWithItsLastStatusAge() throws {
        var nodes = F.mesh(3)
        nodes[1].status = F.status([F.peer(1, "ok"), F.peer(3, "ok")], age: 300)
        let health = ClusterHealth(nodes: nodes, live: ["node-a", "node-c"], now: F.now)
        let problem = try #require(health.problems.first)
        #expect(problem.kind == .node)
        #expect(problem.message
            == "node-b: wgmeshd not reporting (last status 5m ago, no liveness): check `systemctl status wgmeshd` on node-b")
        // Only the silent row is down; what the others see of node-b is still believed.
        #expect(health.cell("node-b", "node-a")?.health == .down)
        #expect(health.cell("node-a", "node-b")?.health == .ok)
        // No asymmetry is claimed against a node that does not report.
        #expect(!health.problems.contains { $0.kind == .asymmetric })
        #expect(health.edges.filter { $0.style == .silent }.count == 2)
    }

    /// Every state a daemon publishes, as node-a's view of node-b.
    @Test(arguments: [
        ("ok", PairHealth.ok, nil),
        ("idle", .idle, nil),
        ("stale", .stale, "node-a -> node-b: stale: last handshake 5m ago although node-a keeps sending (1.2 KiB sent); check UDP 51820 from 10.99.0.1 to 10.99.0.2, and that wgmeshd runs on node-b"),
        ("never", .never, "node-a -> node-b: never: node-a sent 1.2 KiB but got no handshake; check UDP 51820 from 10.99.0.1 to 10.99.0.2"),
        ("missing", .missing, "node-a -> node-b: missing: node-b is in the datastore but not on node-a's interface; check `journalctl -u wgmeshd` on node-a for failed reconciles"),
        ("unexpected", .unexpected, "node-a -> node-b: unexpected: node-a's interface holds a peer for node-b (key AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=) that the datastore does not want (an old key?); wgmeshd removes it on its next reconcile: if it stays, check `journalctl -u wgmeshd` on node-a"),
        ("sleepy", .unknown, "node-a -> node-b: unknown: node-a reported \"sleepy\", a state this wgmesh does not know: upgrade wgmesh here to read it"),
    ] as [(String, PairHealth, String?)])
    func everyReportedState(state: String, expected: PairHealth, message: String?) throws {
        var nodes = F.mesh(2)
        nodes[0].status = F.status([F.peer(2, state, handshakeAge: state == "stale" ? 300 : 10)])
        let health = ClusterHealth(nodes: nodes, live: F.live(2), now: F.now)
        let cell = try #require(health.cell("node-a", "node-b"))
        #expect(cell.health == expected)
        #expect(cell.report?.state == state)
        #expect(health.isHealthy == (message == nil))
        let pair = health.problems.filter { $0.kind == .pair }
        #expect(pair.map(\.message) == (message.map { [$0] } ?? []))
        #expect(pair.first.map { $0.nodes == ["node-a", "node-b"] } ?? true)
        // node-b still sees node-a ok: every unhealthy view is also an asymmetry.
        let asymmetry = health.problems.filter { $0.kind == .asymmetric }.map(\.message)
        #expect(asymmetry == (message == nil ? [] : ["node-a sees node-b \(expected.rawValue), node-b sees node-a ok"]))
    }

    @Test func theUDPHintUsesThePublishedEndpoint() throws {
        var nodes = F.mesh(2)
        var entry = F.peer(2, "never")
        entry.endpoint = "[2001:db8::2]:51999"
        nodes[0].status = F.status([entry])
        let health = ClusterHealth(nodes: nodes, live: F.live(2), now: F.now)
        let message = try #require(health.problems.first { $0.kind == .pair }?.message)
        #expect(message.hasSuffix("check UDP 51820 from 10.99.0.1 to 2001:db8::2"))
    }

    @Test func aPairNeitherSideListsIsExcludedAndHealthy() {
        var nodes = F.mesh(3)
        nodes[0].status = F.status([F.peer(2, "ok")])
        nodes[2].status = F.status([F.peer(2, "ok")])
        let health = ClusterHealth(nodes: nodes, live: F.live(3), now: F.now)
        #expect(health.cell("node-a", "node-c")?.health == .excluded)
        #expect(health.cell("node-c", "node-a")?.health == .excluded)
        #expect(health.isHealthy)
        #expect(health.edges.map { [$0.first, $0.second] } == [["node-a", "node-b"], ["node-b", "node-c"]])
    }

    @Test func plansThatDisagreeAreReported() throws {
        var nodes = F.mesh(2)
        nodes[0].status = F.status([])
        nodes[1].status = F.status([F.peer(1, "never")])
        let health = ClusterHealth(nodes: nodes, live: F.live(2), now: F.now)
        let asymmetry = try #require(health.problems.first { $0.kind == .asymmetric })
        #expect(asymmetry.message.hasPrefix("node-a sees node-b excluded, node-b sees node-a never: the two plans disagree"))
        #expect(asymmetry.health == .never)
        #expect(health.edges.count == 1)
        #expect(health.edges.first?.style == .broken)
    }

    @Test func aRotationInFlightCountsTheWorstEntry() {
        var nodes = F.mesh(2)
        var newKey = F.peer(2, "missing")
        newKey.publicKey = F.key(9)
        nodes[0].status = F.status([F.peer(2, "ok"), newKey])
        let health = ClusterHealth(nodes: nodes, live: F.live(2), now: F.now)
        #expect(health.cell("node-a", "node-b")?.health == .missing)
        #expect(health.cell("node-a", "node-b")?.report?.publicKey == F.key(9))
    }

    @Test func aPeerNoNodeOwnsIsItsOwnProblem() throws {
        var nodes = F.mesh(2)
        nodes[0].status = F.status([F.peer(2, "ok"),
                                    PeerStatus(node: "", publicKey: F.key(7), state: "unexpected")])
        let health = ClusterHealth(nodes: nodes, live: F.live(2), now: F.now)
        let problem = try #require(health.problems.first)
        #expect(problem.kind == .unknownPeer)
        #expect(problem.nodes == ["node-a"])
        #expect(problem.health == .unexpected)
        #expect(problem.message.hasPrefix("node-a: key \(F.key(7)) is on its interface (unexpected) but belongs to no node"))
    }

    @Test func silentNodesWithKeysAreAssumedPeeredWithoutKeysNot() {
        let nodes = [F.node(1), F.node(2), F.node(3, keyed: false)]
        let health = ClusterHealth(nodes: nodes, live: [], now: F.now)
        #expect(health.problems.count == 3)
        #expect(health.problems.allSatisfy { $0.message.contains("has never reported") })
        #expect(health.edges.map { [$0.first, $0.second] } == [["node-a", "node-b"]])
        #expect(health.edges.first?.style == .silent)
        #expect(health.edges.first?.worst == .down)
    }

    @Test func aNodeNoPeerReachesIsNamedOnce() throws {
        var nodes = F.mesh(4)
        nodes[1].status = F.status([F.peer(1, "never"), F.peer(3, "stale"), F.peer(4, "never")])
        for index in [0, 2, 3] {
            nodes[index].status = F.status((1...4).filter { $0 != index + 1 }.map { F.peer($0, $0 == 2 ? "never" : "ok") })
        }
        let health = ClusterHealth(nodes: nodes, live: F.live(4), now: F.now)
        let isolated = health.problems.filter { $0.kind == .isolated }
        #expect(isolated.map(\.message) == ["node-b: no handshake with any of its 3 peers while other pairs work: "
            + "check that inbound UDP 51820 reaches node-b (10.99.0.2:51820) (firewall, security group)"])
        #expect(health.problems.first?.kind == .isolated, "the root cause comes before the pairs it explains")
        // One working pair of node-b's is enough to rule it out.
        nodes[0].status = F.status([F.peer(2, "ok"), F.peer(3, "ok"), F.peer(4, "ok")])
        nodes[1].status = F.status([F.peer(1, "ok"), F.peer(3, "stale"), F.peer(4, "never")])
        let partly = ClusterHealth(nodes: nodes, live: F.live(4), now: F.now)
        #expect(!partly.problems.contains { $0.kind == .isolated })
    }

    @Test func aWhollyBrokenMeshBlamesNoSingleNode() {
        let health = ClusterHealth(nodes: F.mesh(3, state: "never"), live: F.live(3), now: F.now)
        #expect(!health.problems.contains { $0.kind == .isolated })
        #expect(health.problems.count == 6)
    }

    @Test func problemsComeNodesFirstThenPairsThenAsymmetries() {
        var nodes = F.mesh(3)
        nodes[0].status = F.status([F.peer(2, "never"), F.peer(3, "ok")])
        let health = ClusterHealth(nodes: nodes, live: ["node-a", "node-b"], now: F.now)
        #expect(health.problems.map(\.kind) == [.node, .pair, .asymmetric])
    }

    /// The worse of two views colours an edge; silence wins over any colour.
    @Test(arguments: [
        (PairHealth.ok, PairHealth.ok, ClusterEdge.Style.ok, PairHealth.ok),
        (.ok, .idle, .idle, .idle),
        (.idle, .idle, .idle, .idle),
        (.ok, .stale, .stale, .stale),
        (.never, .ok, .broken, .never),
        (.missing, .stale, .broken, .missing),
        (.unexpected, .ok, .broken, .unexpected),
        (.unknown, .ok, .broken, .unknown),
        (.down, .never, .silent, .never),
        (.down, .down, .silent, .down),
        (.excluded, .ok, .ok, .ok),
    ] as [(PairHealth, PairHealth, ClusterEdge.Style, PairHealth)])
    func edgeStyle(forward: PairHealth, backward: PairHealth, style: ClusterEdge.Style, worst: PairHealth) {
        let edge = ClusterEdge(first: "a", second: "b", forward: forward, backward: backward)
        #expect(edge.style == style)
        #expect(edge.worst == worst)
    }

    @Test(arguments: [("10.0.0.1:51820", "10.0.0.1"), ("[fd00::1]:51820", "fd00::1"), ("fd00::1", "fd00::1"),
                      ("host", "host")])
    func endpointHosts(endpoint: String, host: String) {
        #expect(ClusterText.host(ofEndpoint: endpoint) == host)
    }
}
