import Testing
@testable import WGMeshResources

@Suite struct JSONParserTests {
    @Test func parsesNestedDocument() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2, 3.5, true, false, null, "x"], "b": {}} "#)
        #expect(value == ["a": [1, -2, 3.5, true, false, nil, "x"], "b": [:]])
    }

    @Test func objectsKeepOrderAndPaths() throws {
        let value = try JSONParser.parse(#"{"z": 1, "spec": {"wireguard": {"k": 1}, "peers": [{"n": 1}]}, "a": 2}"#)
        guard case .object(let root) = value, case .object(let spec)? = root["spec"],
              case .object(let wireguard)? = spec["wireguard"], case .array(let peers)? = spec["peers"],
              case .object(let peer) = peers[0]
        else { Issue.record("unexpected shape"); return }
        #expect(root.members.map(\.key) == ["z", "spec", "a"])
        #expect(root.path == "")
        #expect(spec.path == "spec")
        #expect(wireguard.path == "spec.wireguard")
        #expect(peer.path == "spec.peers[0]")
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        let text: String
        let value: JSONValue
        var testDescription: String { text }
    }

    @Test(arguments: [
        NumberCase(text: "0", value: .integer(0)),
        NumberCase(text: "-0", value: .integer(0)),
        NumberCase(text: "51820", value: .integer(51820)),
        NumberCase(text: "9223372036854775807", value: .integer(.max)),
        NumberCase(text: "-9223372036854775808", value: .integer(.min)),
        NumberCase(text: "9223372036854775808", value: .double(9223372036854775808)),
        NumberCase(text: "18446744073709551616", value: .double(18446744073709551616)),
        NumberCase(text: "1.5", value: .double(1.5)),
        NumberCase(text: "-0.25", value: .double(-0.25)),
        NumberCase(text: "1e3", value: .double(1000)),
        NumberCase(text: "2E-2", value: .double(0.02)),
        NumberCase(text: "1.0", value: .double(1)),
    ])
    func numbers(case number: NumberCase) throws {
        #expect(try JSONParser.parse(number.text) == number.value)
    }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u4e2d""#, "é中"),
        (#""\ud83d\ude00 ok""#, "😀 ok"),
        (#""ünïcødé raw 😀""#, "ünïcødé raw 😀"),
        (#""\u0000""#, "\u{0}"),
    ])
    func strings(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let column: Int
        let mentions: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        ErrorCase(text: "", line: 1, column: 1, mentions: "end of input"),
        ErrorCase(text: "{\"a\": 1,}", line: 1, column: 9, mentions: "member name"),
        ErrorCase(text: "[1, 2", line: 1, column: 6, mentions: "']'"),
        ErrorCase(text: "{\n  \"a\"\n  1}", line: 3, column: 3, mentions: "':'"),
        ErrorCase(text: "[1] x", line: 1, column: 5, mentions: "after the JSON value"),
        ErrorCase(text: "01", line: 1, column: 2, mentions: "leading zero"),
        ErrorCase(text: "[1.]", line: 1, column: 4, mentions: "digit"),
        ErrorCase(text: "-", line: 1, column: 2, mentions: "digit"),
        ErrorCase(text: "[tru]", line: 1, column: 2, mentions: "'true'"),
        ErrorCase(text: "\"abc", line: 1, column: 1, mentions: "not closed"),
        ErrorCase(text: "\"a\nb\"", line: 1, column: 3, mentions: "control character"),
        ErrorCase(text: "\"\\x\"", line: 1, column: 2, mentions: "not a JSON escape"),
        ErrorCase(text: "\"\\ud800\"", line: 1, column: 8, mentions: "lone high surrogate"),
        ErrorCase(text: "\"\\udc00\"", line: 1, column: 8, mentions: "lone low surrogate"),
        ErrorCase(text: "\"\\ud800\\u0041\"", line: 1, column: 14, mentions: "surrogate pair"),
        ErrorCase(text: "\"\\u12g4\"", line: 1, column: 6, mentions: "hex digits"),
        ErrorCase(text: "{\"é\": x}", line: 1, column: 7, mentions: "JSON value"),
        ErrorCase(text: "[1]\n\n  ]", line: 3, column: 3, mentions: "']'"),
        ErrorCase(text: "NaN", line: 1, column: 1, mentions: "JSON value"),
        ErrorCase(text: "[0, 1e400]", line: 1, column: 5, mentions: "too large"),
    ])
    func errorsGiveLineAndColumn(case bad: ErrorCase) throws {
        let error = try #require(throws: ResourceError.self) { try JSONParser.parse(bad.text) }
        #expect(error.code == .syntax)
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
        #expect(error.reason.contains("line \(bad.line), column \(bad.column)"))
        #expect(error.reason.contains(bad.mentions), "\(error.reason)")
    }

    @Test func invalidUTF8IsRefused() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        let error = try #require(throws: ResourceError.self) { try JSONParser.parse(bytes) }
        #expect(error.reason.contains("UTF-8"))
    }

    @Test func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(throws: ResourceError.self) { try JSONParser.parse(deep) }
        #expect(error.reason.contains("deeper than 64"))
        // Far deeper input fails the same way instead of exhausting the stack.
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: ResourceError.self) { try JSONParser.parse(hostile) }
    }

    @Test func sizeLimits() throws {
        let limits = JSONParser.Limits(maxDepth: 64, maxBytes: 10, maxStringBytes: 4)
        #expect(throws: ResourceError.self) { try JSONParser.parse("[1,2,3,4,5,6]", limits: limits) }
        #expect(throws: ResourceError.self) { try JSONParser.parse(#""abcde""#, limits: limits) }
        #expect(throws: ResourceError.self) { try JSONParser.parse(#""ab\ncd""#, limits: limits) }
        #expect(try JSONParser.parse(#""abcd""#, limits: limits) == "abcd")
    }
}
