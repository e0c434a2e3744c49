import Testing
@testable import WGMeshResources

@Suite struct YAMLBridgeTests {
    @Test func multiDocumentSkipsEmptyDocuments() throws {
        let documents = try YAMLBridge.documents("""
            ---
            a: 1
            ---
            # only a comment
            ---
            b: [x, y]
            ---
            """)
        #expect(documents == [["a": 1], ["b": ["x", "y"]]])
    }

    @Test(arguments: [
        ("v: 12", JSONValue.integer(12)),
        ("v: -7", .integer(-7)),
        ("v: +7", .integer(7)),
        ("v: 0x1F", .integer(31)),
        ("v: 0o17", .integer(15)),
        ("v: 1.5", .double(1.5)),
        ("v: 1e3", .double(1000)),
        ("v: .5", .double(0.5)),
        ("v: .inf", .double(.infinity)),
        ("v: -.Inf", .double(-.infinity)),
        ("v: true", .bool(true)),
        ("v: FALSE", .bool(false)),
        ("v: null", .null),
        ("v: ~", .null),
        ("v:", .null),
        // YAML 1.1 words stay strings under the 1.2 core schema.
        ("v: yes", .string("yes")),
        ("v: off", .string("off")),
        ("v: 2001-12-14", .string("2001-12-14")),
        ("v: 10.0.0.1", .string("10.0.0.1")),
        ("v: 1_000", .string("1_000")),
        ("v: 0b101", .string("0b101")),
        // Quoted scalars are strings whatever they look like.
        ("v: \"12\"", .string("12")),
        ("v: 'true'", .string("true")),
        ("v: \"null\"", .string("null")),
        ("v: ''", .string("")),
        // Explicit tags.
        ("v: !!str 12", .string("12")),
        ("v: !!float 3", .double(3)),
        ("v: !!int 0x10", .integer(16)),
        ("v: all()", .string("all()")),
        ("v: zone == 'a'", .string("zone == 'a'")),
    ])
    func coreSchemaScalars(text: String, expected: JSONValue) throws {
        let documents = try YAMLBridge.documents(text)
        #expect(documents.count == 1)
        let value = try #require(documents.first?["v"])
        if case .double(let number) = expected, number.isNaN {
            return
        }
        #expect(value == expected)
    }

    @Test func nanIsADouble() throws {
        guard case .double(let number)? = try YAMLBridge.documents("v: .nan").first?["v"] else {
            Issue.record("not a double"); return
        }
        #expect(number.isNaN)
    }

    @Test(arguments: [
        "true", "false", "null", "~", "", "123", "-5", "1.5", "1e3", ".inf", "0x1F", "0o7", "yes", "no", "on", "off",
        "y", "n", "2001-12-14", "12:30", "a: b", "- x", "#c", "{x}", "[x]", "x # y", " lead", "trail ", "line1\nline2",
        "tab\there", "quote\"s", "it's", "é中😀", "10.0.0.1", "fd00::1", "10.65.0.0/26", "zone == 'a'", "!tag", "&a", "*a",
        "@x", "%x", "|", ">", "\u{1}", "\\", "trailing\n", "\nlead", "  indented\nx", "a\n\n", "x \ny", "\u{2028}",
        "mid\u{FEFF}bom", "key: value\n- item",
    ])
    func emittedStringsReadBackAsStrings(text: String) throws {
        let emitted = YAMLBridge.emit([["k": .string(text)]])
        let back = try YAMLBridge.documents(emitted)
        #expect(back == [["k": .string(text)]], "\(emitted)")
    }

    // Known limit: Yams reads scalars through Foundation, which drops a
    // *leading* byte-order mark ("\u{FEFF}x" reads back as "x").

    @Test func emitKeepsTypesAndOrder() throws {
        let values: [JSONValue] = [
            ["z": 1, "a": [true, nil, 2.5, "x"], "m": ["n": [:], "e": []]],
            ["second": "doc"],
        ]
        let text = YAMLBridge.emit(values)
        #expect(text.hasPrefix("z: 1\na:\n- true\n- null\n- 2.5\n- x\n"))
        #expect(text.contains("\n---\nsecond: doc\n"))
        #expect(try YAMLBridge.documents(text) == values)
        #expect(YAMLBridge.emit([]) == "")
    }

    @Test func emitsBlockStyle() {
        let text = YAMLBridge.emit([["spec": ["cidr": "10.0.0.0/8", "blocks": ["10.0.0.0/26"]]]])
        #expect(text == "spec:\n  cidr: 10.0.0.0/8\n  blocks:\n  - 10.0.0.0/26\n")
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let text: String
        let document: Int
        let line: Int
        let mentions: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        ErrorCase(text: "a: [1", document: 1, line: 2, mentions: "flow sequence"),
        ErrorCase(text: "a: 1\n---\nb: {c: d\n", document: 2, line: 4, mentions: "flow mapping"),
        ErrorCase(text: "a: 1\n---\nb: 2\n---\nc: 3\n  d: 4\n", document: 3, line: 6, mentions: "YAML syntax error"),
        ErrorCase(text: "a: 1\na: 2\n", document: 1, line: 1, mentions: "duplicate keys a"),
        ErrorCase(text: "x: 1\n---\nv: !!int abc\n", document: 2, line: 3, mentions: "!!int"),
        ErrorCase(text: "v: !custom x", document: 1, line: 1, mentions: "not supported"),
        ErrorCase(text: "? [a, b]\n: c\n", document: 1, line: 1, mentions: "mapping key"),
    ])
    func errorsNameDocumentAndLine(case bad: ErrorCase) throws {
        let error = try #require(throws: ResourceError.self) { try YAMLBridge.documents(bad.text) }
        #expect(error.document == bad.document)
        #expect(error.line == bad.line)
        #expect(error.reason.hasPrefix("document \(bad.document) (line \(bad.line)"), "\(error.reason)")
        #expect(error.reason.contains(bad.mentions), "\(error.reason)")
    }

    @Test func aliasBombIsBounded() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        // A smaller bound than the real one keeps the debug-build test quick.
        let error = try #require(throws: ResourceError.self) { try YAMLBridge.parsedDocuments(text, maxNodes: 10_000) }
        #expect(error.reason.contains("more than 10000 values"))
    }

    @Test func deepNestingIsBounded() throws {
        let text = "v: " + String(repeating: "[", count: 80) + String(repeating: "]", count: 80)
        let error = try #require(throws: ResourceError.self) { try YAMLBridge.documents(text) }
        #expect(error.reason.contains("deeper than"))
    }

    @Test func jsonIsYAML() throws {
        #expect(try YAMLBridge.documents(#"{"a": [1, "2", null]}"#) == [["a": [1, "2", nil]]])
    }
}
