import Glibc
import Testing
import WGMeshTestSupport

/// `/metrics`, `/healthz` and `/readyz` of live daemons: each node of a
/// 3-node SQLite mesh serves them inside its namespace (the daemons get
/// WGMESH_METRICS_ADDRESS), and a scrape after a ping is checked against
/// `wg show dump` taken just before it.
@Suite(.serialized, .enabled(if: MeshHarnessGate.enabled))
struct MeshMetricsTests {
    /// The tag of this suite's meshes.
    static let tag = "m"
    /// Where every daemon listens, inside its own namespace.
    static let port = 9586

    @Test("3 nodes: the Calico series match wg show, wgmesh's series count the applies, health and readiness are 200")
    func scrapeLiveNodes() throws {
        let mesh = try Self.up(nodes: 3)
        defer { mesh.down() }
        #expect(try mesh.ping(from: 1, pod: 1, to: try mesh.podIP(2, 1)))
        #expect(try mesh.ping(from: 3, pod: 1, to: try mesh.podIP(1, 1)))

        for node in 1...3 {
            let dump = try Self.dump(mesh, node)
            let page = try Self.scrape(mesh, node, "/metrics")
            #expect(page.status == 200)
            let samples = Self.samples(page.body)
            let host = "n\(node)"
            let meta = "wireguard_meta{hostname=\"\(host)\",iface=\"\(mesh.interfaceName(node))\","
                + "listen_port=\"\(dump.listenPort)\",public_key=\"\(dump.publicKey)\"}"
            #expect(samples[meta] == 1, "no \(meta) in:\n\(page.body)")
            #expect(samples.keys.count { $0.hasPrefix("wireguard_meta{") } == 1)
            #expect(samples.keys.count { $0.hasPrefix("wireguard_bytes_rcvd{") } == dump.peers.count)
            for (key, peer) in dump.peers {
                let labels = "{hostname=\"\(host)\",peer_endpoint=\"\(peer.endpoint == "(none)" ? "" : peer.endpoint)\","
                    + "peer_key=\"\(key)\",public_key=\"\(dump.publicKey)\"}"
                let received = try #require(samples["wireguard_bytes_rcvd" + labels], "no series for \(labels)")
                #expect(received >= Double(peer.rx))
                #expect(try #require(samples["wireguard_bytes_sent" + labels]) >= Double(peer.tx))
                #expect(try #require(samples["wireguard_latest_handshake_seconds" + labels]) >= Double(peer.handshake))
            }
            #expect(samples["wgmesh_up"] == 1)
            #expect((samples["wgmesh_reconcile_total{reason=\"load\"}"] ?? 0) >= 1)
            #expect(samples["wgmesh_reconcile_errors_total"] == 0)
            #expect((samples["wgmesh_reconcile_duration_seconds_count"] ?? 0) >= 1)
            #expect(samples["wgmesh_key_age_seconds"] != nil)
            #expect(samples["wgmesh_key_rotations_total{result=\"ok\"}"] == 0)
            #expect(samples.keys.contains { $0.hasPrefix("wgmesh_peers{state=") }, "status series missing")
            #expect(page.body.contains("# TYPE wgmesh_datastore_watch_lag_seconds histogram"))

            let healthz = try Self.scrape(mesh, node, "/healthz")
            #expect(healthz.status == 200 && healthz.body == "ok\n")
            #expect(try Self.scrape(mesh, node, "/readyz").status == 200)
            #expect(try Self.scrape(mesh, node, "/nope").status == 404)
        }
        // n1 pinged n2, so n1 holds a real handshake and counted bytes for it.
        let nodes = try mesh.nodes()
        let two = try #require(nodes["n2"]?.publicKey)
        let dump = try Self.dump(mesh, 1)
        let handshake = try #require(dump.peers[two]).handshake
        #expect(handshake > 0)
        let samples = Self.samples(try Self.scrape(mesh, 1, "/metrics").body)
        #expect(samples.contains { $0.key.hasPrefix("wireguard_bytes_rcvd{") && $0.key.contains(two) && $0.value > 0 })
        #expect((samples["wgmesh_peers{state=\"ok\"}"] ?? 0) >= 1)

        // A restarted daemon binds its port again: wireguard-go, started by the first daemon and
        // still running, must not hold the listening socket it could have inherited.
        try mesh.run(["stop-node", "1"])
        try mesh.run(["start-node", "1"], environment: Self.environment)
        #expect(try Self.scrape(mesh, 1, "/readyz").status == 200)
        let again = Self.samples(try Self.scrape(mesh, 1, "/metrics").body)
        #expect(again.keys.contains { $0.hasPrefix("wgmesh_build_info{version=") })
    }

    /// What every daemon of these meshes gets: metrics on `port`.
    static let environment = ["WGMESH_METRICS_ADDRESS=0.0.0.0:\(port)"]

    /// Brings up a SQLite mesh whose daemons serve metrics (mesh.sh passes
    /// its environment to every daemon it starts).
    static func up(nodes: Int) throws -> MeshHarness {
        try MeshHarness.up(tag, datastore: .sqlite, nodes: nodes, pods: 1, environment: environment)
    }

    /// GET `path` from node I's listener with curl inside its namespace.
    static func scrape(_ mesh: MeshHarness, _ node: Int, _ path: String) throws -> (status: Int, body: String) {
        // curl puts the status code on a line of its own after the body.
        let text = try mesh.nodeExec(node, ["curl", "-sS", "-m", "10", "-w", "\n%{http_code}",
                                            "http://127.0.0.1:\(port)\(path)"])
        guard let newline = text.lastIndex(of: "\n") else { return (Int(text.trimmed) ?? 0, "") }
        return (Int(String(text[text.index(after: newline)...]).trimmed) ?? 0, String(text[..<newline]))
    }

    /// `name{labels}` to value, from a Prometheus text page.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.lines where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return samples
    }

    /// Node I's device with the counters (`wg show dump`'s rx and tx).
    struct Dump {
        struct Peer { var endpoint: String; var handshake: Int; var rx: Int; var tx: Int }
        var publicKey: String
        var listenPort: Int
        var peers: [String: Peer] = [:]
    }

    static func dump(_ mesh: MeshHarness, _ node: Int) throws -> Dump {
        let lines = try mesh.run(["wg-dump", "\(node)"]).lines.map { $0.split(separator: "\t").map(String.init) }
        let first = try #require(lines.first)
        var dump = Dump(publicKey: first[1], listenPort: Int(first[2]) ?? 0)
        for fields in lines.dropFirst() where fields.count == 8 {
            dump.peers[fields[0]] = Dump.Peer(endpoint: fields[2], handshake: Int(fields[4]) ?? 0,
                                              rx: Int(fields[5]) ?? 0, tx: Int(fields[6]) ?? 0)
        }
        return dump
    }
}
