import Testing
@testable import WGMeshResources

@Suite struct JSONWriterTests {
    static let sample: JSONValue = [
        "name": "node-a", "port": 51820, "ratio": 0.5, "on": true, "off": false, "none": nil,
        "list": [1, "two", [], [:]], "nested": ["k": "v"],
    ]

    @Test func compactKeepsMemberOrder() {
        #expect(JSONWriter.string(Self.sample) ==
            #"{"name":"node-a","port":51820,"ratio":0.5,"on":true,"off":false,"none":null,"list":[1,"two",[],{}],"nested":{"k":"v"}}"#)
    }

    @Test func prettyUsesTwoSpaces() {
        let value: JSONValue = ["a": [1, 2], "b": ["c": nil], "d": []]
        #expect(JSONWriter.string(value, pretty: true) == """
            {
              "a": [
                1,
                2
              ],
              "b": {
                "c": null
              },
              "d": []
            }
            """)
    }

    @Test(arguments: [
        ("quote\"back\\slash", #""quote\"back\\slash""#),
        ("tab\tnew\nret\r", #""tab\tnew\nret\r""#),
        ("\u{1}\u{1F}\u{7F}", #""\u0001\u001f\u007f""#),
        ("é😀", "\"é😀\""),
        ("a/b", #""a/b""#),
    ])
    func escapes(text: String, expected: String) throws {
        let written = JSONWriter.string(.string(text))
        #expect(written == expected)
        #expect(try JSONParser.parse(written) == .string(text))
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSONWriter.string([.double(.infinity), .double(.nan)]) == "[null,null]")
    }

    @Test(arguments: [false, true])
    func roundTrip(pretty: Bool) throws {
        let values: [JSONValue] = [
            Self.sample, .integer(.min), .integer(.max), .double(1e-7), .double(123456.789), .double(-2.5e300),
            "", [[[["deep"]]]], ["": ""],
        ]
        for value in values {
            #expect(try JSONParser.parse(JSONWriter.write(value, pretty: pretty)) == value)
        }
    }

    @Test func appendBuildsOneBuffer() {
        var bytes = Array("[".utf8)
        JSONWriter.append(["a": 1], to: &bytes)
        bytes.append(contentsOf: ",".utf8)
        JSONWriter.append("x", to: &bytes)
        bytes.append(contentsOf: "]".utf8)
        #expect(String(decoding: bytes, as: UTF8.self) == #"[{"a":1},"x"]"#)
    }
}
