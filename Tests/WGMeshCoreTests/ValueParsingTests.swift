import Testing
import WGMeshCore

@Suite struct ValueParsingTests {
    // A public key as `wg pubkey` prints it.
    static let wgPublicKey = "3qzsk/qhBTq6jgKqdMDu0Y/6yZJ4mt7gnVv52rPZMjo="

    @Test func publicKeyRoundTripsThroughBase64AndHex() throws {
        let key = try WireGuardKey(base64: Self.wgPublicKey)
        #expect(key.base64 == Self.wgPublicKey)
        #expect(try WireGuardKey(hex: key.hex) == key)
        #expect(key.hex.count == 64)
    }

    @Test(arguments: [
        "3qzsk/qhBTq6jgKqdMDu0Y/6yZJ4mt7gnVv52rPZMj=",   // 43 characters
        "3qzsk/qhBTq6jgKqdMDu0Y/6yZJ4mt7gnVv52rPZMjp=",  // stray low bits in the 43rd
        "3qzsk/qhBTq6jgKqdMDu0Y/6yZJ4mt7gnVv52rPZMjoA",  // no padding
        "3qzsk/qhBTq6jgKqdMDu0Y/6yZJ4mt7gnVv52rPZM!o=",  // not base64
    ])
    func malformedKeysAreRefused(text: String) {
        #expect(throws: InvalidInputError.self) { try WireGuardKey(base64: text) }
        #expect(throws: InvalidInputError.self) { try SecretKey(base64: text) }
    }

    @Test func secretKeyIsRedactedAndComparesByValue() throws {
        let secret = try SecretKey(base64: Self.wgPublicKey)
        #expect("\(secret)" == "(redacted)")
        #expect(!String(reflecting: secret).contains("3qzsk"))
        #expect(secret == (try SecretKey(hex: secret.hexEncodedSecret())))
        #expect(secret != SecretKey.zero)
        #expect(SecretKey.zero.isZero)
    }

    @Test(arguments: [
        ("10.0.0.1/24", "10.0.0.0/24"),
        ("2001:db8::1/64", "2001:db8::/64"),
        ("192.0.2.7", "192.0.2.7/32"),
        ("::/0", "::/0"),
    ])
    func cidrsParseAndMask(text: String, masked: String) throws {
        #expect(try IPNetwork(text).masked.description == masked)
    }

    @Test(arguments: ["10.0.0.1/33", "2001:db8::/129", "10.0.0/8", "10.0.0.1/x", "nothing"])
    func badCIDRsAreRefused(text: String) {
        #expect(throws: InvalidInputError.self) { try IPNetwork(text) }
    }

    @Test(arguments: [
        ("192.0.2.1:51820", "192.0.2.1:51820"),
        ("[2001:db8::1]:443", "[2001:db8::1]:443"),
        ("[::ffff:1.2.3.4]:1", "[::ffff:1.2.3.4]:1"),
    ])
    func endpointsParseAndPrintLikeWG(text: String, printed: String) throws {
        #expect(try Endpoint(text).description == printed)
    }

    @Test(arguments: ["192.0.2.1", "192.0.2.1:65536", "2001:db8::1:80", "[2001:db8::1]80", "host:-1"])
    func badEndpointsAreRefused(text: String) {
        #expect(throws: InvalidInputError.self) { try Endpoint(text) }
    }

    @Test(arguments: ["", "sixteen-chars-xx", "a/b", "a b", ".", ".."])
    func badInterfaceNamesAreRefused(name: String) {
        #expect(throws: InvalidInputError.self) { try InterfaceName(name) }
    }

    @Test func fifteenCharacterNameIsAccepted() throws {
        #expect(try InterfaceName("fifteen-chars-x").rawValue.count == 15)
    }
}
