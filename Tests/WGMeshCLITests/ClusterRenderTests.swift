import Testing
import WGMeshAgent
@testable import WGMeshCLI
import WGMeshResources

/// `wgmesh status --cluster`: the matrix people read and the JSON scripts read.
@Suite struct ClusterRenderTests {
    typealias F = ClusterFixtures

    /// node-a sees node-b never; node-c stopped 400 s ago.
    static func broken() -> ClusterHealth {
        var nodes = F.mesh(3)
        nodes[0].status = F.status([F.peer(2, "never"), F.peer(3, "ok")], age: 5)
        nodes[2].status = F.status([F.peer(1, "ok"), F.peer(2, "ok")], age: 400)
        return ClusterHealth(nodes: nodes, live: ["node-a", "node-b"], now: F.now)
    }

    @Test func theMatrixHasRowsForObserversAndTheProblemsBelow() {
        let lines = ClusterMatrix.text(Self.broken()).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(Array(lines.prefix(4)) == [
            "OBSERVER  node-a   node-b   node-c",
            "node-a    -        NEVER    ok",
            "node-b    ok       -        ok",
            "node-c    DOWN     DOWN     -",
        ])
        #expect(Array(lines.suffix(5)) == [
            "Problems (3):",
            "  node-c: wgmeshd not reporting (last status 6m40s ago, no liveness): check `systemctl status wgmeshd` on node-c",
            "  node-a -> node-b: never: node-a sent 1.2 KiB but got no handshake; check UDP 51820 from 10.99.0.1 to 10.99.0.2",
            "  node-a sees node-b never, node-b sees node-a ok",
            "",
        ])
    }

    @Test func aHealthyMatrixSaysSo() {
        let text = ClusterMatrix.text(ClusterHealth(nodes: F.mesh(2), live: F.live(2), now: F.now))
        #expect(text.hasSuffix("All 2 nodes report and every peered pair is healthy.\n"))
        #expect(!text.contains("Problems"))
    }

    @Test func anEmptyDatastoreHasNoMatrix() {
        #expect(ClusterMatrix.text(ClusterHealth(nodes: [], live: [], now: F.now)) == "No nodes found.\n")
    }

    /// Every cell state has its own symbol, and the legend explains each.
    @Test(arguments: PairHealth.allCases)
    func everySymbolIsDistinctAndInTheLegend(health: PairHealth) {
        let symbol = ClusterMatrix.symbol(health)
        #expect(PairHealth.allCases.filter { ClusterMatrix.symbol($0) == symbol } == [health])
        #expect(ClusterMatrix.legend.contains(" \(symbol) "))
        #expect(symbol.count <= 7, "a symbol wider than MISSING breaks the columns")
        // Unhealthy states shout; healthy ones do not.
        #expect((symbol.uppercased() == symbol && symbol.first?.isLetter == true) == !health.isHealthy
            || health == .unknown)
    }

    @Test func longNamesWidenTheirColumn() {
        var nodes = [F.node(1), F.node(2)]
        nodes[0].metadata.name = "a-very-long-node-name"
        nodes[0].status = F.status([F.peer(2, "ok")])
        nodes[1].status = F.status([PeerStatus(node: "a-very-long-node-name", state: "ok")])
        let text = ClusterMatrix.text(ClusterHealth(nodes: nodes, live: ["a-very-long-node-name", "node-b"], now: F.now))
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "OBSERVER               a-very-long-node-name  node-b")
        #expect(lines[1] == "a-very-long-node-name  -                      ok")
        #expect(lines[2] == "node-b                 ok                     -")
    }

    @Test func theJSONHasTheDocumentedSchema() throws {
        let document = try JSONParser.parse(ClusterJSON.text(Self.broken()))
        guard case .object(let root) = document else { Issue.record("not an object"); return }
        #expect(root.members.map(\.key)
            == ["schema", "observedAt", "reportWindowSeconds", "healthy", "nodes", "cells", "problems"])
        #expect(root["schema"] == "wgmesh.cluster/v1")
        #expect(root["observedAt"] == .integer(F.now))
        #expect(root["reportWindowSeconds"] == 360)
        #expect(root["healthy"] == false)

        guard case .array(let nodes)? = root["nodes"] else { Issue.record("no nodes"); return }
        #expect(nodes.count == 3)
        #expect(nodes[2] == [
            "name": "node-c", "publicKey": .string(F.key(3).base64), "tunnelAddresses": ["10.244.3.1"],
            "endpoint": "10.99.0.3:51820", "reporting": "no-liveness", "statusAgeSeconds": 400,
        ])

        guard case .array(let cells)? = root["cells"] else { Issue.record("no cells"); return }
        #expect(cells.count == 6, "every ordered pair but the diagonal")
        #expect(cells[0] == [
            "observer": "node-a", "peer": "node-b", "state": "never", "endpoint": "10.99.0.2:51820",
            "latestHandshake": .integer(F.now - 10), "receivedBytes": 100, "sentBytes": 1229,
        ])
        #expect(cells.map { $0["state"] } == ["never", "ok", "ok", "ok", "down", "down"])

        guard case .array(let problems)? = root["problems"] else { Issue.record("no problems"); return }
        #expect(problems.map { $0["kind"] } == ["node", "pair", "asymmetric"])
        #expect(problems[1]["nodes"] == ["node-a", "node-b"])
        #expect(problems[1]["state"] == "never")
    }

    @Test func absentValuesAreNullNotLeftOut() throws {
        var nodes = [F.node(1, keyed: false), F.node(2)]
        nodes[1].status = F.status([])
        let document = try JSONParser.parse(ClusterJSON.text(ClusterHealth(nodes: nodes, live: ["node-b"], now: F.now)))
        guard case .array(let list)? = document["nodes"] else { Issue.record("no nodes"); return }
        #expect(list[0]["publicKey"] == .null)
        #expect(list[0]["statusAgeSeconds"] == .null)
        #expect(list[0]["tunnelAddresses"] == [])
        guard case .array(let cells)? = document["cells"] else { Issue.record("no cells"); return }
        #expect(cells[0]["state"] == "down")
        #expect(cells[0]["endpoint"] == .null)
        #expect(cells[0]["sentBytes"] == .null)
        #expect(cells[1]["state"] == "excluded")
    }
}
