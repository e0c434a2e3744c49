import Glibc
import Logging
import Testing
import WGMeshAgent
import WGMeshDatastore
import WGMeshDatastoreConnect
import WGMeshResources
import WGMeshTestSupport

/// `wgmesh status --cluster` and `wgmesh graph` as a user runs them: the
/// built binary against a datastore holding nodes, statuses and liveness
/// keys written the way the daemons write them.
@Suite struct ClusterCommandTests {
    typealias F = ClusterFixtures
    typealias Fixture = DatastoreCLIFixture

    /// Writes nodes 1...count, each one's status (seen by the real clock,
    /// so the CLI's "now" agrees) and a liveness key for those in `live`.
    static func seed(_ fixture: Fixture, count: Int, live: Set<Int>, state: (Int, Int) -> String) async throws {
        let datastore = try await DatastoreConnector.connect(url: try DatastoreURL(parsing: fixture.url),
                                                             logger: Logger(label: "cluster-test"))
        let store = ResourceStore(datastore: datastore, logger: Logger(label: "cluster-test"))
        try await datastore.closing {
            let now = Int64(time(nil))
            for index in 1...count {
                _ = try await store.create(F.node(index))
                let peers = (1...count).filter { $0 != index }.map { peer in
                    PeerStatus(node: F.name(peer), publicKey: F.key(peer), endpoint: "10.99.0.\(peer):51820",
                               latestHandshake: now - 5, receivedBytes: 10, sentBytes: 2048, state: state(index, peer))
                }
                try await store.writeStatus(NodeStatus(updated: now - 1, peers: peers), node: F.name(index))
                if live.contains(index) {
                    _ = try await datastore.put(store.livenessKey(node: F.name(index)), value: Array("{}".utf8))
                }
            }
        }
    }

    @Test(arguments: Fixture.Backend.enabled)
    func aHealthyClusterExitsZero(backend: Fixture.Backend) async throws {
        let fixture = try Fixture(backend)
        try await Self.seed(fixture, count: 3, live: [1, 2, 3]) { _, _ in "ok" }
        let table = try fixture.wgmesh(["status", "--cluster"])
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.standardOutput.hasPrefix("OBSERVER  node-a   node-b   node-c\nnode-a    -        ok       ok\n"))
        #expect(table.standardOutput.hasSuffix("All 3 nodes report and every peered pair is healthy.\n"))

        let json = try fixture.wgmesh(["status", "--cluster", "-o", "json"])
        #expect(json.status == 0)
        let document = try JSONParser.parse(json.standardOutput)
        #expect(document["healthy"] == true)
        #expect(document["problems"] == [])

        let graph = try fixture.wgmesh(["graph"])
        #expect(graph.status == 0)
        #expect(graph.standardOutput.split(separator: "\n").filter { $0.contains("color=green") }.count == 3)
    }

    @Test func brokenPairsAndSilentNodesExitOne() async throws {
        let fixture = try Fixture(.sqlite)
        try await Self.seed(fixture, count: 3, live: [1, 2]) { observer, peer in
            observer == 1 && peer == 2 ? "never" : "ok"
        }
        let table = try fixture.wgmesh(["status", "--cluster"])
        #expect(table.status == 1)
        #expect(table.standardOutput.contains("node-a    -        NEVER    ok\n"))
        #expect(table.standardOutput.contains("node-c    DOWN     DOWN     -\n"))
        #expect(table.standardOutput.contains(
            "  node-a -> node-b: never: node-a sent 2.0 KiB but got no handshake; check UDP 51820 from 10.99.0.1 to 10.99.0.2\n"))
        #expect(table.standardOutput.contains("  node-c: wgmeshd not reporting (last status "))

        let json = try fixture.wgmesh(["status", "--cluster", "-o", "json"])
        #expect(json.status == 1)
        let document = try JSONParser.parse(json.standardOutput)
        #expect(document["healthy"] == false)
        guard case .array(let problems)? = document["problems"] else { Issue.record("no problems"); return }
        #expect(problems.map { $0["kind"] } == ["node", "pair", "asymmetric"])

        let graph = try fixture.wgmesh(["graph"])
        #expect(graph.status == 1)
        #expect(graph.standardOutput.contains(#""node-a" -- "node-b" [color=red"#))
        #expect(graph.standardOutput.contains(#""node-a" -- "node-c" [color=grey, label="ok / DOWN""#))
    }

    @Test func badInputExitsTwo() throws {
        let fixture = try Fixture(.sqlite)
        let yaml = try fixture.wgmesh(["status", "--cluster", "-o", "yaml"])
        #expect(yaml.status == 2)
        #expect(yaml.standardError.contains("use -o table or -o json"))
        let url = try runProcess(try Fixture.binary(), ["graph", "--datastore", "mysql://x"])
        #expect(url.status == 2)
        #expect(url.standardError.hasPrefix("Error: "))
    }

    /// /dev/null is not a directory, so the SQLite file cannot be opened (nor created).
    @Test(arguments: [["status", "--cluster"], ["graph"]])
    func anUnreachableDatastoreExitsThree(arguments: [String]) throws {
        let result = try runProcess(try Fixture.binary(),
                                    arguments + ["--datastore", "sqlite:///dev/null/wgmesh/datastore.db"])
        #expect(result.status == 3, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("Error: cannot read the cluster from the datastore: "))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func anEmptyDatastoreHasNoNodes() throws {
        let fixture = try Fixture(.sqlite)
        let result = try fixture.wgmesh(["status", "--cluster"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "No nodes found.\n")
    }
}
