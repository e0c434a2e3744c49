import Testing
@testable import WGMeshResources

@Suite struct JSONParserTests {
    @Test func parsesNestedDocument() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2, 3.5, true, null, "x"], "b": {}}"#)
        #expect(value == ["a": [1, -2, 3.5, true, nil, "x"], "b": .object(DocumentObject(path: "b"))])
    }
}
