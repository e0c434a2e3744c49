import Testing
import WGMeshCore
import WGMeshTestSupport
import WGMeshWireGuard

/// A big device with one change yields exactly that change.
@Suite struct DiffScaleTests {
    @Test func oneChangedPeerAmongTenThousandIsTheOnlyPeerSent() throws {
        var rng = SplitMix64(seed: 10_000)
        var peers: [WireGuardPeer] = []
        var desired: [DesiredPeer] = []
        peers.reserveCapacity(10_000)
        for index in 0..<10_000 {
            let key = rng.nextWireGuardKey()
            let v4 = try IPNetwork(address: IPAddress(networkBytes: [10, UInt8(index >> 8), UInt8(index & 0xFF), 0]), prefixLength: 24)
            let v6 = try IPNetwork(address: IPAddress(networkBytes: [0xfd, 0, 0, 0, 0, 0, UInt8(index >> 8), UInt8(index & 0xFF)]
                + [UInt8](repeating: 0, count: 8)), prefixLength: 64)
            let endpoint = Endpoint(address: try IPAddress(networkBytes: [192, 0, 2, UInt8(index % 250 + 1)]), port: 51820)
            peers.append(WireGuardPeer(publicKey: key, endpoint: endpoint, persistentKeepalive: 25, allowedIPs: [v4, v6]))
            desired.append(DesiredPeer(publicKey: key, endpoint: endpoint, persistentKeepalive: 25, allowedIPs: [v4, v6]))
        }
        let device = DiffFixtures.device(peers: peers)
        #expect(try WireGuardDiff.changes(from: device, to: DesiredDevice(peers: desired)).isEmpty)

        let changed = 4_321
        desired[changed].persistentKeepalive = 0
        let config = try WireGuardDiff.changes(from: device, to: DesiredDevice(peers: desired))
        #expect(config.peers == [PeerConfig(publicKey: peers[changed].publicKey, persistentKeepalive: 0)])
    }
}
