import Glibc
import Testing
import WGMeshTestSupport

/// `wgmesh status --cluster` and `wgmesh graph` on a live mesh whose
/// daemons publish their own statuses: a node whose WireGuard UDP is
/// blocked and a stopped daemon show as broken, the rest as ok, and the
/// cells agree with `wg show` on each node.
@Suite(.serialized, .enabled(if: MeshHarnessGate.enabled))
struct MeshClusterTests {
    /// The tag of this suite's meshes ("c" is MeshCoreTests').
    static let tag = "cl"

    @Test("3 nodes: a UDP-blocked node's pairs never, a stopped daemon down, the rest ok; checked against wg show",
          arguments: MeshDatastore.allCases)
    func clusterView(_ datastore: MeshDatastore) throws {
        let mesh = try Self.up(datastore, nodes: 3)
        defer { mesh.down() }
        let nodes = try mesh.nodes()
        let key = { (index: Int) throws -> String in try #require(nodes["n\(index)"]?.publicKey) }

        // n2's firewall drops inbound WireGuard before anything is sent: its pairs never shake
        // hands, and both sides keep sending (a dropped *outbound* packet is not counted as
        // sent by wireguard-go, so n2 would read idle rather than never).
        try mesh.blockWireGuard(node: 2, port: nodes["n2"]?.listenPort ?? 51820, directions: [.inbound])
        for (from, to) in [(1, 3), (3, 1), (1, 2), (2, 1), (2, 3), (3, 2)] {
            let reached = try mesh.ping(from: from, pod: 1, to: try mesh.podIP(to, 1))
            #expect(reached == (from != 2 && to != 2), "n\(from) -> n\(to)")
        }

        // Every daemon publishes within its 5 s status interval once the states settle.
        let settled = try Self.waitForCluster(mesh) { cells in
            cells["n1>n3"] == "ok" && cells["n3>n1"] == "ok" && cells["n1>n2"] == "never" && cells["n2>n1"] == "never"
                && cells["n2>n3"] == "never" && cells["n3>n2"] == "never"
        }
        #expect(settled.status == 1, "broken pairs must make the exit status 1")

        // What each node's interface says is what its row says.
        for index in [1, 2, 3] {
            let device = try mesh.device(index)
            for peer in [1, 2, 3] where peer != index {
                let entry = try #require(device.peers[try key(peer)], "n\(index) lacks n\(peer)'s key")
                let expected = entry.latestHandshake > 0 ? "ok" : "never"
                #expect(settled.cells["n\(index)>n\(peer)"] == expected, "n\(index) -> n\(peer) against wg show")
            }
        }

        // Stopping n3 revokes its liveness lease: its row goes down, the others stay as they were.
        try mesh.run(["stop-node", "3", "--signal", "TERM"])
        let stopped = try Self.waitForCluster(mesh) { cells in cells["n3>n1"] == "down" && cells["n3>n2"] == "down" }
        #expect(stopped.cells["n1>n3"] == "ok")
        #expect(stopped.cells["n1>n2"] == "never")
        #expect(stopped.cells["n2>n3"] == "never")
        #expect(stopped.status == 1)

        let table = try mesh.runRaw(["wgmesh", "status", "--cluster"])
        #expect(table.status == 1)
        let rows = table.standardOutput.lines
        #expect(rows.prefix(4) == ["OBSERVER  n1       n2       n3",
                                   "n1        -        NEVER    ok",
                                   "n2        NEVER    -        NEVER",
                                   "n3        DOWN     DOWN     -"], "\(table.standardOutput)")
        #expect(rows.contains { $0.hasPrefix("  n3: wgmeshd not reporting (last status ") && $0.contains("no liveness") })
        #expect(rows.contains { $0.hasPrefix("  n1 -> n2: never: n1 sent ") && $0.hasSuffix(" to 10.99.0.2") })
        // The root cause: n2 reaches none of its peers while n1 and n3 work.
        #expect(rows.contains { $0.hasPrefix("  n2: no handshake with any of its 2 peers while other pairs work: ") })
        #expect(!rows.contains { $0.contains("n1 -> n3") })

        let graph = try mesh.runRaw(["wgmesh", "graph"])
        #expect(graph.status == 1)
        let edges = graph.standardOutput.lines.filter { $0.contains(" -- ") }
        #expect(edges.count == 3, "\(graph.standardOutput)")
        #expect(edges.contains { $0.hasPrefix(#"  "n1" -- "n2" [color=red, label="NEVER / NEVER""#) })
        #expect(edges.contains { $0.hasPrefix(#"  "n1" -- "n3" [color=grey, label="ok / DOWN""#) && $0.contains("dashed") })
        #expect(edges.contains { $0.hasPrefix(#"  "n2" -- "n3" [color=grey, label="NEVER / DOWN""#) && $0.contains("dashed") })
        if access("/usr/bin/dot", X_OK) == 0 {
            let dot = try runProcess("/usr/bin/dot", ["-Tsvg", "-o", "/dev/null"], input: Array(graph.standardOutput.utf8))
            #expect(dot.status == 0, "dot: \(dot.standardError)")
        }
    }

    /// A mesh whose daemons publish every 5 s and whose liveness lasts 5 s.
    static func up(_ datastore: MeshDatastore, nodes: Int) throws -> MeshHarness {
        try MeshHarness.up(tag, datastore: datastore, nodes: nodes, pods: 1,
                           environment: ["WGMESH_STATUS_INTERVAL=5", "WGMESH_LIVENESS_TTL=5"])
    }

    /// The cluster view's cells as "observer>peer" -> state, and the exit status.
    struct ClusterReading {
        var status: Int32
        var cells: [String: String]
    }

    /// Prints "observer>peer state" for each cell of a wgmesh.cluster/v1 document.
    static let flatten = """
        import json, sys
        text = sys.stdin.read().strip()
        for cell in (json.loads(text)["cells"] if text else []):
            print(cell["observer"] + ">" + cell["peer"], cell["state"])
        """

    /// Reads `status --cluster -o json` until `done` holds (60 s at most).
    static func waitForCluster(_ mesh: MeshHarness, until done: ([String: String]) -> Bool) throws -> ClusterReading {
        var last = ClusterReading(status: -1, cells: [:])
        for _ in 0..<60 {
            let result = try mesh.runRaw(["wgmesh", "status", "--cluster", "-o", "json"])
            // This target has no JSON parser: Debian's python3 (which mesh.sh needs too) flattens the cells.
            let flat = try runProcess("/usr/bin/python3", ["-c", Self.flatten], input: Array(result.standardOutput.utf8))
            var cells: [String: String] = [:]
            for line in flat.standardOutput.lines {
                let fields = line.split(separator: " ").map(String.init)
                if fields.count == 2 { cells[fields[0]] = fields[1] }
            }
            last = ClusterReading(status: result.status, cells: cells)
            if done(cells) { return last }
            sleep(1)
        }
        Issue.record("the cluster view did not settle in 60 s: \(last.cells.sorted { $0.key < $1.key })")
        return last
    }
}
