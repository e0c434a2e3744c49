import Testing
import WGMeshCore
import WGMeshKeys
import WGMeshTestSupport

/// Checks our derivation against the real `wg` (wireguard-tools, installed by
/// setup). Not gated: it needs no root and no kernel module, only the binary.
@Suite struct CrossToolTests {
    static let wg = "/usr/bin/wg"

    @Test func wgGeneratedKeysGiveTheSamePublicKeyHere() throws {
        for _ in 0..<20 {
            let generated = try runProcess(Self.wg, ["genkey"])
            try #require(generated.status == 0, "wg genkey failed: \(generated.standardError)")
            let privateText = String(generated.standardOutput.dropLast())
            let ours = try Curve25519.KeyAgreement.PrivateKey(base64: privateText)
            let theirs = try runProcess(Self.wg, ["pubkey"], input: Array(generated.standardOutput.utf8))
            #expect(theirs.status == 0)
            #expect(theirs.standardOutput == ours.publicKey.base64 + "\n")
        }
    }

    @Test func ourGeneratedKeysGiveTheSamePublicKeyInWG() throws {
        for _ in 0..<20 {
            let key = Curve25519.KeyAgreement.PrivateKey()
            let theirs = try runProcess(Self.wg, ["pubkey"], input: Array((key.secret.base64EncodedSecret() + "\n").utf8))
            #expect(theirs.status == 0)
            #expect(theirs.standardOutput == key.publicKey.base64 + "\n")
        }
    }

    @Test func unclampedKeysAreClampedTheSameWayAsWG() throws {
        let secret = try SecretKey(rawBytes: [UInt8](repeating: 0xFF, count: 32))
        let theirs = try runProcess(Self.wg, ["pubkey"], input: Array(secret.base64EncodedSecret().utf8))
        #expect(theirs.status == 0)
        #expect(theirs.standardOutput == Curve25519.KeyAgreement.PrivateKey(secret: secret).publicKey.base64 + "\n")
    }
}
