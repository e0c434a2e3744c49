import Glibc
import Testing
import WGMeshTestSupport

/// `wgmesh status` on a live mesh: table, JSON and exit code against `wg
/// show dump` and the datastore, then each unhealthy state made by hand:
/// a node's UDP blocked before any traffic (never), a peer removed from the
/// interface (missing), a peer added by hand (unexpected). Stale needs 3
/// minutes without a handshake: the unit tests cover it with a clock.
@Suite(.serialized, .enabled(if: MeshHarnessGate.enabled))
struct MeshStatusTests {
    /// The tag of this suite's meshes.
    static let tag = "s"

    @Test("3 nodes: status matches wg show and the datastore; never, missing and unexpected peers",
          arguments: MeshDatastore.allCases)
    func localStatus(_ datastore: MeshDatastore) throws {
        let mesh = try Self.up(datastore, nodes: 3)
        defer { mesh.down() }
        let nodes = try mesh.nodes()
        let key = { (index: Int) throws -> String in try #require(nodes["n\(index)"]?.publicKey) }
        let interface = mesh.interfaceName(1)

        // n3 drops WireGuard both ways before anything is sent to it.
        let port = nodes["n3"]?.listenPort ?? 51820
        try mesh.blockWireGuard(node: 3, port: port, directions: [.inbound, .outbound])
        #expect(try mesh.ping(from: 1, pod: 1, to: try mesh.podIP(2, 1)), "n1 -> n2 must work")

        // Healthy: n2 ok after the ping, n3 idle (nothing sent to it yet).
        let healthy = try Self.status(mesh, node: 1)
        #expect(healthy.exitStatus == 0, "\(healthy.standardError)")
        #expect(healthy.peers[try key(2)]?.state == "ok")
        #expect(healthy.peers[try key(3)]?.state == "idle")
        try Self.expectMatchesDevice(mesh, node: 1, healthy)
        #expect(healthy.interface == "\(interface) \(try key(1)) \(nodes["n1"]?.listenPort ?? 51820) \(MeshHarness.backend) healthy")
        let table = try Self.table(mesh, node: 1)
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("interface:   \(interface)\n"))
        #expect(table.standardOutput.contains("backend:     \(MeshHarness.backend)\n"))
        let rows = table.standardOutput.lines.drop { !$0.hasPrefix("NODE ") }.dropFirst()
        #expect(rows.map { String($0.prefix(2)) } == ["n2", "n3"], "\(table.standardOutput)")
        #expect(rows.first?.hasSuffix("ok") == true && rows.last?.hasSuffix("idle") == true)

        // Never: n1 sends to n3, whose UDP is blocked.
        #expect(try !mesh.ping(from: 1, pod: 1, to: try mesh.podIP(3, 1)), "n3's UDP is blocked")
        let never = try Self.status(mesh, node: 1)
        #expect(never.exitStatus == 1)
        #expect(never.peers[try key(3)]?.state == "never")
        #expect(never.peers[try key(3)]?.handshake == 0)
        try Self.expectMatchesDevice(mesh, node: 1, never)
        let neverTable = try Self.table(mesh, node: 1)
        #expect(neverTable.status == 1)
        let neverRows = neverTable.standardOutput.lines.drop { !$0.hasPrefix("NODE ") }.dropFirst()
        #expect(neverRows.first?.hasPrefix("n3 ") == true && neverRows.first?.hasSuffix("never") == true,
                "unhealthy rows come first: \(neverTable.standardOutput)")
        #expect(neverTable.standardOutput.contains("n3: never: no handshake although "))
        #expect(neverTable.standardOutput.contains("check that UDP \(port) reaches 10.99.0.3"))

        // The datastore gets n1's view within its 5 s status interval.
        let published = try Self.waitForPublished(mesh, node: 1) { $0["n2"] == "ok" && $0["n3"] == "never" }
        #expect(published == ["n2": "ok", "n3": "never"])

        // Missing: n2's peer removed behind wgmeshd's back (its 90 s resync puts it back later).
        try mesh.nodeExec(1, ["wg", "set", interface, "peer", try key(2), "remove"])
        let missing = try Self.status(mesh, node: 1)
        #expect(missing.exitStatus == 1)
        #expect(missing.peers[try key(2)]?.state == "missing")
        #expect(missing.peers[try key(2)]?.endpoint == "10.99.0.2:\(nodes["n2"]?.listenPort ?? 51820)")
        #expect(try Self.table(mesh, node: 1).standardOutput.contains("n2: missing: in the datastore but not on \(interface)"))

        // Unexpected: a peer no node owns, added by hand.
        let stranger = try mesh.runProcessOutput(Self.wgmesh, ["genkey"])
        let strangerKey = try runProcess(Self.wgmesh, ["pubkey"], input: Array(stranger.utf8)).standardOutput.trimmed
        try mesh.nodeExec(1, ["wg", "set", interface, "peer", strangerKey, "allowed-ips", "10.250.0.1/32"])
        let unexpected = try Self.status(mesh, node: 1)
        #expect(unexpected.exitStatus == 1)
        #expect(unexpected.peers[strangerKey]?.state == "unexpected")
        #expect(unexpected.peers[strangerKey]?.node == "-")
        #expect(unexpected.peers[strangerKey]?.allowedIPs == "10.250.0.1/32")
        let strangerTable = try Self.table(mesh, node: 1).standardOutput
        #expect(strangerTable.contains("(key \(strangerKey.prefix(8))...): unexpected: on \(interface) but no node "
            + "in the datastore wants it"), "\(strangerTable)")
        #expect(strangerTable.contains("remove it with `wg set \(interface) peer \(strangerKey) remove`"))

        // n2's own view is untouched by n1's hand edits.
        let second = try Self.status(mesh, node: 2)
        #expect(second.peers[try key(1)]?.state == "ok")
        #expect(second.peers[try key(3)]?.state == "idle")
        #expect(second.exitStatus == 0)
        try Self.expectMatchesDevice(mesh, node: 2, second)

        // No daemon: exit 3 with the way out.
        try mesh.run(["stop-node", "2", "--signal", "TERM"])
        let gone = try runProcess(Self.wgmesh, ["status", "--control-socket", mesh.directory + "/n2/wgmeshd.sock"])
        #expect(gone.status == 3)
        #expect(gone.standardError.contains("wgmeshd is not running"))
    }

    /// The CLI the test runs (the daemons' own build).
    static let wgmesh = MeshHarness.repositoryRoot + "/.build/debug/wgmesh"

    /// A mesh whose daemons publish every 5 s.
    static func up(_ datastore: MeshDatastore, nodes: Int) throws -> MeshHarness {
        try MeshHarness.up(tag, datastore: datastore, nodes: nodes, pods: 1, environment: ["WGMESH_STATUS_INTERVAL=5"])
    }

    /// One peer of `wgmesh status -o json`, flattened.
    struct Peer: Equatable {
        var node: String
        var endpoint: String
        var allowedIPs: String
        var handshake: Int
        var received: Int
        var sent: Int
        var state: String
    }

    /// A `wgmesh status -o json` reading.
    struct Reading {
        var exitStatus: Int32
        var standardError: String
        /// "IF KEY PORT BACKEND healthy|unhealthy".
        var interface: String
        var peers: [String: Peer]
    }

    /// Flattens a wgmesh.status/v1 document: the interface line, then one line a peer.
    static let flatten = """
        import json, sys
        doc = json.loads(sys.stdin.read())
        assert doc["schema"] == "wgmesh.status/v1", doc["schema"]
        print(doc["interfaceName"], doc["publicKey"], doc["listenPort"], doc["backend"],
              "healthy" if doc["healthy"] else "unhealthy")
        for p in doc["peers"]:
            print(p["publicKey"], p["nodeName"] or "-", p["endpoint"] or "-", ",".join(sorted(p["allowedIPs"])) or "-",
                  p["latestHandshake"] or 0, p["receivedBytes"], p["sentBytes"], p["state"])
        """

    /// Node I's status as JSON, asked over its control socket.
    static func status(_ mesh: MeshHarness, node: Int) throws -> Reading {
        let result = try runProcess(wgmesh, ["status", "-o", "json", "--node-name", "n\(node)",
                                             "--control-socket", mesh.directory + "/n\(node)/wgmeshd.sock"])
        let flat = try runProcess("/usr/bin/python3", ["-c", flatten], input: Array(result.standardOutput.utf8))
        try #require(flat.status == 0, "not a status document: \(result.standardOutput)\(result.standardError)")
        let lines = flat.standardOutput.lines
        var peers: [String: Peer] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: " ").map(String.init)
            try #require(f.count == 8, "bad line \(line)")
            peers[f[0]] = Peer(node: f[1], endpoint: f[2], allowedIPs: f[3], handshake: Int(f[4]) ?? -1,
                               received: Int(f[5]) ?? -1, sent: Int(f[6]) ?? -1, state: f[7])
        }
        return Reading(exitStatus: result.status, standardError: result.standardError,
                       interface: lines.first ?? "", peers: peers)
    }

    /// Node I's status as the table.
    static func table(_ mesh: MeshHarness, node: Int) throws -> ProcessResult {
        try runProcess(wgmesh, ["status", "--control-socket", mesh.directory + "/n\(node)/wgmeshd.sock"])
    }

    /// Every peer in `reading` is on node I's device with the same key,
    /// endpoint, allowed IPs and handshake, and counters no larger than the
    /// dump read after it (the counters only grow).
    static func expectMatchesDevice(_ mesh: MeshHarness, node: Int, _ reading: Reading) throws {
        var device: [String: [String]] = [:]
        for line in try mesh.run(["wg-dump", "\(node)"]).lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 8 { device[fields[0]] = fields }
        }
        let onDevice = reading.peers.filter { $0.value.state != "missing" }
        #expect(Set(onDevice.keys) == Set(device.keys), "n\(node): status keys vs wg show")
        for (key, peer) in onDevice {
            guard let fields = device[key] else { continue }
            let allowed = fields[3] == "(none)" ? "-" : fields[3].split(separator: ",").sorted().joined(separator: ",")
            #expect(peer.endpoint == (fields[2] == "(none)" ? "-" : fields[2]), "n\(node) \(peer.node) endpoint")
            #expect(peer.allowedIPs == allowed, "n\(node) \(peer.node) allowed IPs")
            // A handshake may land between the two reads, never go back.
            let handshake = Int(fields[4]) ?? -1
            #expect(peer.handshake == handshake || (peer.handshake <= handshake && handshake > 0),
                    "n\(node) \(peer.node) handshake \(peer.handshake) vs \(handshake)")
            let received = Int(fields[5]) ?? -1, sent = Int(fields[6]) ?? -1
            #expect(peer.received <= received && peer.sent <= sent, "n\(node) \(peer.node) counters")
            // Keepalives are off, so between two reads a second apart the counters barely move.
            #expect(received - peer.received < 4096 && sent - peer.sent < 4096, "n\(node) \(peer.node) counters")
        }
    }

    /// Node I's published peer states (node -> state), read until `done` holds (30 s at most).
    static func waitForPublished(_ mesh: MeshHarness, node: Int, until done: ([String: String]) -> Bool) throws
        -> [String: String]
    {
        let script = """
            import json, sys
            doc = json.loads(sys.stdin.read())
            for p in (doc.get("status") or {}).get("peers", []):
                print(p["node"] or "-", p["state"])
            """
        var last: [String: String] = [:]
        for _ in 0..<30 {
            let json = try mesh.runRaw(["wgmesh", "get", "node", "n\(node)", "-o", "json"])
            let flat = try runProcess("/usr/bin/python3", ["-c", script], input: Array(json.standardOutput.utf8))
            last = [:]
            for line in flat.standardOutput.lines {
                let fields = line.split(separator: " ").map(String.init)
                if fields.count == 2 { last[fields[0]] = fields[1] }
            }
            if done(last) { return last }
            sleep(1)
        }
        Issue.record("n\(node)'s published status did not settle in 30 s: \(last)")
        return last
    }
}
