import Testing
import WGMeshCore
import WGMeshKeys

@Suite struct Curve25519Tests {
    /// RFC 7748 section 6.1: Alice's and Bob's private keys (not clamped, as
    /// printed) and their public keys.
    static let rfc7748Vectors = [
        ("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
         "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
        ("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
         "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
    ]

    @Test(arguments: rfc7748Vectors)
    func derivesTheRFC7748PublicKeys(privateHex: String, publicHex: String) throws {
        let key = Curve25519.KeyAgreement.PrivateKey(secret: try SecretKey(hex: privateHex))
        #expect(key.publicKey == (try WireGuardKey(hex: publicHex)))
    }

    @Test(arguments: rfc7748Vectors)
    func rawRepresentationGivesTheSameKey(privateHex: String, publicHex: String) throws {
        let bytes = try #require(Self.bytes(hex: privateHex))
        let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
        #expect(key.publicKey.hex == publicHex)
    }

    @Test func anUnclampedSecretIsClampedBeforeDeriving() throws {
        let unclamped = try SecretKey(rawBytes: [UInt8](repeating: 0xFF, count: 32))
        let key = Curve25519.KeyAgreement.PrivateKey(secret: unclamped)
        key.secret.withUnsafeBytes { bytes in
            #expect(bytes[0] == 0xF8)
            #expect(bytes[31] == 0x7F)
            #expect(bytes[1...30].allSatisfy { $0 == 0xFF })
        }
        #expect(key.secret != unclamped)
        let clamped = try SecretKey(rawBytes: [0xF8] + [UInt8](repeating: 0xFF, count: 30) + [0x7F])
        #expect(Curve25519.KeyAgreement.PrivateKey(secret: clamped).publicKey == key.publicKey)
    }

    @Test func generatedKeysAreClampedAndDistinct() {
        let keys = (0..<64).map { _ in Curve25519.KeyAgreement.PrivateKey() }
        for key in keys {
            key.secret.withUnsafeBytes { bytes in
                #expect(bytes[0] & 7 == 0)
                #expect(bytes[31] & 0x80 == 0)
                #expect(bytes[31] & 0x40 != 0)
            }
            #expect(!key.publicKey.isZero)
        }
        #expect(Set(keys.map(\.publicKey)).count == keys.count)
        #expect(Set(keys.map { $0.secret.base64EncodedSecret() }).count == keys.count)
    }

    @Test func keysRoundTripThroughBase64() throws {
        for _ in 0..<16 {
            let key = Curve25519.KeyAgreement.PrivateKey()
            let text = key.secret.base64EncodedSecret()
            #expect(text.utf8.count == 44)
            let parsed = try Curve25519.KeyAgreement.PrivateKey(base64: text)
            #expect(parsed.secret == key.secret)
            #expect(parsed.publicKey == key.publicKey)
            #expect(try WireGuardKey(base64: key.publicKey.base64) == key.publicKey)
        }
    }

    @Test func malformedInputIsRefusedWithAKeyError() {
        #expect(throws: KeyError.self) { try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        let error = #expect(throws: KeyError.self) { try Curve25519.KeyAgreement.PrivateKey(base64: "not a key") }
        #expect(error?.code == .malformed)
    }

    @Test func descriptionsShowNoSecret() {
        let key = Curve25519.KeyAgreement.PrivateKey()
        let secretText = key.secret.base64EncodedSecret()
        #expect(!"\(key)".contains(secretText))
        #expect(!String(reflecting: key).contains(secretText))
        #expect("\(key)".contains(key.publicKey.base64))
    }

    @Test func presharedKeysAreRandomAndNotClamped() {
        let keys = (0..<64).map { _ in PresharedKey.generate() }
        #expect(Set(keys.map { $0.base64EncodedSecret() }).count == keys.count)
        #expect(keys.allSatisfy { !$0.isZero })
        // Clamping would clear these bits in every key; 64 random keys all
        // having them clear happens with probability 2^-192.
        let anyUnclamped = keys.contains { key in
            key.withUnsafeBytes { $0[0] & 7 != 0 || $0[31] & 0x80 != 0 || $0[31] & 0x40 == 0 }
        }
        #expect(anyUnclamped)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).compactMap {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)
        }
    }
}
