import Glibc
import Testing

/// The mesh follows the datastore: nodes join and leave, change their
/// address and their key, and (on etcd) a datastore outage leaves traffic
/// alone and the nodes resync afterwards.
@Suite(.serialized, .enabled(if: MeshHarnessGate.enabled))
struct MeshChangeTests {
    @Test("a node joins, changes address and key, leaves; etcd down 30 s", arguments: MeshDatastore.allCases)
    func nodesJoinChangeAndLeave(_ datastore: MeshDatastore) throws {
        let mesh = try MeshHarness.up("x", datastore: datastore, nodes: 3, pods: 1)
        defer { mesh.down() }

        // Join: mesh.sh waits until every node has the new peer.
        try mesh.run(["add-node", "4"])
        try mesh.expectProgrammedExactly([1, 2, 3, 4])
        try mesh.expectPodsReach(from: [4], to: [1, 2, 3], pods: 1)
        try mesh.expectPodsReach(from: [1], to: [4], pods: 1)

        // Address: the other nodes' endpoints for n2 follow.
        try mesh.run(["set-address", "2", "10.99.0.102"])
        let moved = try #require(try mesh.nodes()["n2"])
        #expect(moved.addresses.map(\.description).contains("10.99.0.102"), "n2 published \(moved.addresses)")
        try mesh.expectProgrammedExactly([1, 2, 3, 4])
        if let key = moved.publicKey {
            #expect(try mesh.device(1).peers[key]?.endpoint == "10.99.0.102:51820")
        }
        try mesh.expectPodsReach(from: [1, 3], to: [2], pods: 1)

        // Key: every other node swaps n3's old key for the new one.
        let oldKey = try #require(try mesh.nodes()["n3"]?.publicKey)
        try mesh.run(["new-key", "3"])
        let newKey = try #require(try mesh.nodes()["n3"]?.publicKey)
        #expect(newKey != oldKey)
        try mesh.expectProgrammedExactly([1, 2, 3, 4])
        for node in [1, 2, 4] {
            let peers = try mesh.device(node).peers
            #expect(peers[newKey] != nil && peers[oldKey] == nil, "n\(node) peers: \(peers.keys.sorted())")
        }
        try mesh.expectPodsReach(from: [1, 2, 4], to: [3], pods: 1)
        try mesh.expectPodsReach(from: [3], to: [1, 2, 4], pods: 1)

        // Leave: deleting the Node removes its peer everywhere.
        let leaving = try #require(try mesh.nodes()["n4"]?.publicKey)
        try mesh.run(["remove-node", "4"])
        #expect(try mesh.nodes()["n4"] == nil)
        try mesh.expectProgrammedExactly([1, 2, 3])
        for node in [1, 2, 3] {
            #expect(try mesh.device(node).peers[leaving] == nil, "n\(node) still has n4's peer")
        }

        // SQLite has no server to stop: it is a file every process opens
        // itself, and an unreadable file tests permissions, not an outage.
        guard datastore == .etcd else { return }
        let traffic = try mesh.underTraffic(from: 1, pod: 1, to: try mesh.podIP(2, 1), interval: "0.05") {
            try mesh.run(["stop-datastore"])
            sleep(30)
        }
        #expect(traffic.transmitted > 400)
        #expect(traffic.received == traffic.transmitted, "traffic lost while etcd was down: \(traffic)")
        try mesh.run(["start-datastore"])
        // A change made after the outage reaches every node.
        try mesh.run(["add-node", "5"])
        try mesh.expectProgrammedExactly([1, 2, 3, 5])
        try mesh.expectPodsReach(from: [5], to: [1, 2, 3], pods: 1)
    }
}
