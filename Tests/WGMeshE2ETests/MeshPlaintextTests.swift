import Testing

/// What is meant to stay plaintext does: a pool with `encryption: None`,
/// and a node the EncryptionConfig's selector leaves out.
@Suite(.serialized, .enabled(if: MeshHarnessGate.enabled))
struct MeshPlaintextTests {
    @Test("a None pool and an excluded node travel in plaintext; the rest stays encrypted",
          arguments: MeshDatastore.allCases)
    func plaintextWhereConfigured(_ datastore: MeshDatastore) throws {
        // n3 takes its pod addresses from the plain pool (10.245.0.0/16);
        // n4 is outside the EncryptionConfig's selector.
        let mesh = try MeshHarness.up("p", datastore: datastore, nodes: 4, pods: 1,
                                      labels: [3: "plain=true", 4: "no-encryption=true"])
        defer { mesh.down() }
        try mesh.expectProgrammedExactly([1, 2, 3, 4])
        #expect(try mesh.device(4).peers.isEmpty, "an excluded node has no peers")

        let plainPod = try mesh.podIP(3, 1)
        let excludedPod = try mesh.podIP(4, 1)
        let encryptedPod = try mesh.podIP(2, 1)
        #expect(plainPod.hasPrefix("10.245."), "n3's pod should come from the plain pool, got \(plainPod)")
        let counts = try mesh.capture { () throws in
            #expect(try mesh.ping(from: 1, pod: 1, to: plainPod, count: 3), "n1/p1 -> plain-pool pod \(plainPod)")
            #expect(try mesh.ping(from: 1, pod: 1, to: excludedPod, count: 3), "n1/p1 -> excluded node's pod \(excludedPod)")
            #expect(try mesh.ping(from: 1, pod: 1, to: encryptedPod, count: 3), "n1/p1 -> n2/p1 \(encryptedPod)")
        }
        #expect(try mesh.captured("icmp and host \(plainPod)") > 0, "the plain pool's ICMP should be on the underlay")
        #expect(try mesh.captured("icmp and host \(excludedPod)") > 0, "the excluded node's ICMP should be on the underlay")
        #expect(try mesh.captured("host \(encryptedPod)") == 0, "n2's pod must never be seen in plaintext")
        #expect(counts["wireguard_udp", default: 0] > 0, "n1 -> n2 should have crossed as WireGuard UDP: \(counts)")
    }
}
