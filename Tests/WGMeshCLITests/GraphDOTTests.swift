import Glibc
import Testing
import WGMeshAgent
@testable import WGMeshCLI
import WGMeshResources
import WGMeshTestSupport

/// `wgmesh graph`: DOT that Graphviz accepts, one vertex per node, one
/// edge per peered pair coloured by health.
@Suite struct GraphDOTTests {
    typealias F = ClusterFixtures

    /// Every edge style once: a-b ok, a-c idle, a-d stale, b-c broken,
    /// and node-e silent (so its edges are dashed).
    static func everyStyle() -> ClusterHealth {
        func status(_ peers: [(Int, String)]) -> NodeStatus {
            F.status(peers.map { F.peer($0.0, $0.1) })
        }
        let nodes = [
            F.node(1, status: status([(2, "ok"), (3, "idle"), (4, "ok"), (5, "ok")])),
            F.node(2, status: status([(1, "ok"), (3, "missing")])),
            F.node(3, status: status([(1, "idle"), (2, "ok")])),
            F.node(4, status: status([(1, "stale")])),
            F.node(5),
        ]
        return ClusterHealth(nodes: nodes, live: F.live(4), now: F.now)
    }

    @Test func edgesAreColouredByTheWorseView() throws {
        let text = ClusterDOT.text(Self.everyStyle())
        let lines = text.split(separator: "\n").map(String.init)
        let edges = lines.filter { $0.contains(" -- ") }
        #expect(edges == [
            #"  "node-a" -- "node-b" [color=green, label="ok / ok", tooltip="node-a sees node-b ok; node-b sees node-a ok"];"#,
            #"  "node-a" -- "node-c" [color=grey, label="idle / idle", tooltip="node-a sees node-c idle; node-c sees node-a idle"];"#,
            #"  "node-a" -- "node-d" [color=orange, label="ok / STALE", tooltip="node-a sees node-d ok; node-d sees node-a stale", penwidth=2];"#,
            #"  "node-a" -- "node-e" [color=grey, label="ok / DOWN", tooltip="node-a sees node-e ok; node-e sees node-a down", style=dashed];"#,
            #"  "node-b" -- "node-c" [color=red, label="MISSING / ok", tooltip="node-b sees node-c missing; node-c sees node-b ok", penwidth=2];"#,
        ])
        #expect(lines.first == "graph wgmesh {")
        #expect(lines.last == "}")
        #expect(lines.filter { $0.hasPrefix("  \"node-") && $0.contains(" [label=") }.count == 5)
    }

    @Test func verticesCarryNameTunnelAddressesAndEndpoint() {
        let text = ClusterDOT.text(Self.everyStyle())
        #expect(text.contains(#"  "node-a" [label="node-a\n10.244.1.1\n10.99.0.1:51820", tooltip="node-a: reporting"];"#))
        #expect(text.contains(#"  "node-e" [label="node-e\n10.244.5.1\n10.99.0.5:51820", style="rounded,dashed", color=grey, fontcolor=grey, tooltip="node-e: wgmeshd not reporting (absent)"];"#))
    }

    /// Every style maps to its documented colour.
    @Test(arguments: [(ClusterEdge.Style.ok, "green"), (.idle, "grey"), (.stale, "orange"), (.broken, "red"),
                      (.silent, "grey")])
    func colours(style: ClusterEdge.Style, colour: String) {
        #expect(ClusterDOT.colour(style) == colour)
    }

    @Test(arguments: [("plain", #""plain""#), ("a\"b", #""a\"b""#), ("back\\slash", #""back\\slash""#),
                      ("two\nlines", #""two\nlines""#), ("bell\u{07}", #""bell""#)])
    func quoting(text: String, quoted: String) {
        #expect(ClusterDOT.quote(text) == quoted)
    }

    /// Graphviz itself accepts the graph when it is installed; otherwise a
    /// small check of braces, quotes and statement ends stands in.
    @Test func graphvizParsesIt() throws {
        var nodes = [F.node(1), F.node(2), F.node(3)]
        nodes[0].metadata.name = "odd \"name\" \\ here"
        let health = ClusterHealth(nodes: nodes, live: [], now: F.now)
        for text in [ClusterDOT.text(Self.everyStyle()), ClusterDOT.text(health)] {
            if access("/usr/bin/dot", X_OK) == 0 {
                let directory = try makeTemporaryDirectory(prefix: "wgmesh-dot")
                defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
                let result = try runProcess("/usr/bin/dot", ["-Tsvg", "-o", directory + "/g.svg"], input: Array(text.utf8))
                #expect(result.status == 0, "dot rejected the graph: \(result.standardError)\n\(text)")
            }
            #expect(Self.looksLikeDOT(text), "\(text)")
        }
    }

    @Test(arguments: ["graph wgmesh {\n  \"a [x];\n}\n", "graph wgmesh {\n  \"a\" [x;\n}\n",
                      "graph wgmesh {\n  \"a\" [x]\n}\n", "digraph g {\n}\n"])
    func theStandInCheckRejectsBrokenGraphs(text: String) {
        #expect(!Self.looksLikeDOT(text))
    }

    /// Balanced braces and brackets outside quotes, every quote closed, and
    /// every statement line ending in `;`.
    static func looksLikeDOT(_ text: String) -> Bool {
        var depth = 0, inQuote = false, escaped = false
        for character in text {
            if escaped { escaped = false; continue }
            if inQuote {
                if character == "\\" { escaped = true }
                if character == "\n" { return false }
                if character == "\"" { inQuote = false }
                continue
            }
            switch character {
            case "\"": inQuote = true
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            default: break
            }
            if depth < 0 { return false }
        }
        let statements = text.split(separator: "\n").dropFirst().dropLast()
        return depth == 0 && !inQuote && text.hasPrefix("graph wgmesh {") && statements.allSatisfy { $0.hasSuffix(";") }
    }
}
