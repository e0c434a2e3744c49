import Testing
import WGMeshCore
import WGMeshKeys
import WGMeshWireGuard

/// A desired state that contradicts itself is refused before anything is compared or sent.
@Suite struct DiffValidationTests {
    typealias F = DiffFixtures

    static let device = F.device(secret: F.secret(9), peers: [
        WireGuardPeer(publicKey: F.key(1), allowedIPs: [F.net("10.0.0.0/24")]),
    ])

    func code(_ desired: DesiredDevice) -> WireGuardError.Code? {
        do {
            _ = try WireGuardDiff.changes(from: Self.device, to: desired)
            return nil
        } catch {
            #expect(error.device == "wg0")
            #expect(!error.reason.isEmpty)
            return error.code
        }
    }

    @Test func oneAllowedIPOnTwoPeersIsRefused() {
        // Different host bits, same network once masked.
        let desired = DesiredDevice(peers: [
            DesiredPeer(publicKey: F.key(1), allowedIPs: [F.net("10.0.0.1/24")]),
            DesiredPeer(publicKey: F.key(2), allowedIPs: [F.net("10.0.0.2/24")]),
        ])
        #expect(code(desired) == .duplicateAllowedIP)
    }

    @Test func overlappingButDifferentNetworksAreFine() {
        let desired = DesiredDevice(peers: [
            DesiredPeer(publicKey: F.key(1), allowedIPs: [F.net("10.0.0.0/8")]),
            DesiredPeer(publicKey: F.key(2), allowedIPs: [F.net("10.0.0.0/24")]),
        ])
        #expect(code(desired) == nil)
    }

    @Test func oneKeyOnTwoPeersIsRefused() {
        let desired = DesiredDevice(peers: [DesiredPeer(publicKey: F.key(3)), DesiredPeer(publicKey: F.key(3))])
        #expect(code(desired) == .duplicatePeer)
    }

    @Test func aPeerWithTheDevicesOwnKeyIsRefused() throws {
        let own = try #require(Self.device.publicKey)
        #expect(code(DesiredDevice(peers: [DesiredPeer(publicKey: own)])) == .peerIsDevice)
    }

    @Test func theOwnKeyCheckUsesTheNewPrivateKey() {
        let next = Curve25519.KeyAgreement.PrivateKey(secret: F.secret(8)).publicKey
        // Fine while the device keeps its key ...
        #expect(code(DesiredDevice(peers: [DesiredPeer(publicKey: next)])) == nil)
        // ... refused once the same change gives the device that key.
        #expect(code(DesiredDevice(privateKey: F.secret(8), peers: [DesiredPeer(publicKey: next)])) == .peerIsDevice)
        // And the old own key becomes an ordinary peer.
        let old = Self.device.publicKey!
        #expect(code(DesiredDevice(privateKey: F.secret(8), peers: [DesiredPeer(publicKey: old)])) == nil)
    }
}
