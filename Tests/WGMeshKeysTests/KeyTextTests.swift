import Testing
import WGMeshCore
import WGMeshKeys

@Suite struct KeyTextTests {
    static let key = "YAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="

    static func parse(_ text: String) throws -> SecretKey {
        try Array(text.utf8).withUnsafeBytes { try KeyText.secret(from: $0) }
    }

    @Test(arguments: ["", "\n", " \t\n\r\u{0B}\u{0C}", "\0\0\n"])
    func whitespaceAndNULAfterTheKeyAreIgnored(trailer: String) throws {
        #expect(try Self.parse(Self.key + trailer) == (try SecretKey(base64: Self.key)))
    }

    @Test(arguments: [Self.key + "x", Self.key + "\nAAAA", " " + Self.key, Self.key + Self.key])
    func charactersAfterTheKeyAreRefusedFirst(text: String) {
        let error = #expect(throws: KeyError.self) { try Self.parse(text) }
        #expect(error?.code == .trailingCharacters)
    }

    @Test(arguments: [
        "", "short", String(Self.key.dropLast()), String(Self.key.dropLast()) + "\n",
        String(Self.key.dropLast()) + "A", "é" + String(Self.key.dropFirst(2)),
    ])
    func wrongLengthOrFormatIsMalformed(text: String) {
        let error = #expect(throws: KeyError.self) { try Self.parse(text) }
        #expect(error?.code == .malformed)
    }
}
