import Testing
@testable import WGMeshResources

@Suite struct CodecErrorTests {
    static let key = ResourceFixtures.keyA.base64

    struct Case: Sendable, CustomTestStringConvertible {
        let json: String
        let code: ResourceError.Code
        let path: String
        let mentions: [String]
        var testDescription: String { path.isEmpty ? json : path }
    }

    static func node(spec: String) -> String {
        #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n"},"spec":\#(spec)}"#
    }

    @Test(arguments: [
        Case(json: #"[1]"#, code: .invalidField, path: "", mentions: ["a list"]),
        Case(json: #"{"kind":"Node","metadata":{"name":"n"}}"#, code: .missingField, path: "apiVersion", mentions: ["missing"]),
        Case(json: #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}"#, code: .invalidField, path: "apiVersion",
             mentions: ["'v1'", "wgmesh.io/v1"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Pod","metadata":{"name":"n"}}"#, code: .unknownKind, path: "kind",
             mentions: ["'Pod'", "Node, IPPool, EncryptionConfig, BlockAffinity, WorkloadEndpoint"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"ippool","metadata":{"name":"n"}}"#, code: .unknownKind,
             path: "kind", mentions: ["did you mean IPPool"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node"}"#, code: .missingField, path: "metadata", mentions: ["metadata.name"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{}}"#, code: .missingField, path: "metadata.name",
             mentions: ["missing"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n","nmae":"x"}}"#, code: .unknownField,
             path: "metadata.nmae", mentions: ["known fields: name, namespace, labels, resourceVersion"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n","namespace":"x"}}"#,
             code: .unknownField, path: "metadata.namespace", mentions: ["not namespaced"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n","labels":{"a":1}}}"#,
             code: .invalidField, path: "metadata.labels.a", mentions: ["quote it"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n"},"spce":{}}"#, code: .unknownField,
             path: "spce", mentions: ["known fields: apiVersion, kind, metadata, spec, status"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"n"},"spec":{"cidr":"10.0.0.0/8"},"status":{}}"#,
             code: .unknownField, path: "status", mentions: ["known fields: apiVersion, kind, metadata, spec"]),
        Case(json: node(spec: #"{"wireguard":{"publicky":"x"}}"#), code: .unknownField, path: "spec.wireguard.publicky",
             mentions: ["known fields: publicKey, listenPort, interfaceIPv4, interfaceIPv6"]),
        Case(json: node(spec: #"{"wireguard":{"publicKey":"nope"}}"#), code: .invalidField, path: "spec.wireguard.publicKey",
             mentions: ["spec.wireguard.publicKey: "]),
        Case(json: node(spec: #"{"wireguard":{"publicKey":"\#(key)","listenPort":70000}}"#), code: .invalidField,
             path: "spec.wireguard.listenPort", mentions: ["70000", "0 to 65535"]),
        Case(json: node(spec: #"{"wireguard":{"publicKey":"\#(key)","listenPort":"51820"}}"#), code: .invalidField,
             path: "spec.wireguard.listenPort", mentions: ["expected an integer", "got a string"]),
        Case(json: node(spec: #"{"wireguard":{}}"#), code: .missingField, path: "spec.wireguard.publicKey", mentions: ["missing"]),
        Case(json: node(spec: #"{"addresses":["10.0.0.1","10.0.0.300"]}"#), code: .invalidField, path: "spec.addresses[1]",
             mentions: ["10.0.0.300"]),
        Case(json: node(spec: #"{"blocks":"10.0.0.0/26"}"#), code: .invalidField, path: "spec.blocks", mentions: ["expected a list"]),
        Case(json: node(spec: #"{"blocks":[7]}"#), code: .invalidField, path: "spec.blocks[0]", mentions: ["expected a string"]),
        Case(json: node(spec: #"{"addresses":[],"addresses":[]}"#), code: .invalidField, path: "spec.addresses", mentions: ["twice"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n"},"status":{"peers":[{"node":"b"}]}}"#,
             code: .missingField, path: "status.peers[0].state", mentions: ["missing"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"p"}}"#, code: .missingField, path: "spec",
             mentions: ["spec.cidr"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"p"},"spec":{"cidr":"10.0.0.0/33"}}"#,
             code: .invalidField, path: "spec.cidr", mentions: ["/33"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"p"},"spec":{"cidr":"10.0.0.0/8","encryption":"wireguard"}}"#,
             code: .invalidField, path: "spec.encryption", mentions: ["WireGuard or None"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"p"},"spec":{"cidr":"10.0.0.0/8","nodeSelector":"a =="}}"#,
             code: .invalidField, path: "spec.nodeSelector", mentions: ["spec.nodeSelector: selector", "column"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"IPPool","metadata":{"name":"p"},"spec":{"cidr":"10.0.0.0/8","disabled":"yes"}}"#,
             code: .invalidField, path: "spec.disabled", mentions: ["true or false"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"EncryptionConfig","metadata":{"name":"default"},"spec":{"interfaceName":"a/b"}}"#,
             code: .invalidField, path: "spec.interfaceName", mentions: ["'/'"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"BlockAffinity","metadata":{"name":"b"},"spec":{"cidr":"10.0.0.0/26"}}"#,
             code: .missingField, path: "spec.node", mentions: ["missing"]),
        Case(json: #"{"apiVersion":"wgmesh.io/v1","kind":"WorkloadEndpoint","metadata":{"name":"w","namespace":"d"},"spec":{"node":"n","ips":[]}}"#,
             code: .missingField, path: "spec.interfaceName", mentions: ["missing"]),
    ])
    func strictDecodeErrorsNameTheField(case bad: Case) throws {
        let error = try #require(throws: ResourceError.self) {
            try ResourceCodec.decodeJSON(Array(bad.json.utf8), strict: true)
        }
        #expect(error.code == bad.code, "\(error.reason)")
        #expect(error.path == bad.path, "\(error.reason)")
        if !bad.path.isEmpty { #expect(error.reason.hasPrefix(bad.path + ": "), "\(error.reason)") }
        for text in bad.mentions { #expect(error.reason.contains(text), "\(error.reason)") }
    }

    @Test func yamlDecodeNamesDocumentAndLine() throws {
        let text = """
            apiVersion: wgmesh.io/v1
            kind: IPPool
            metadata:
              name: good
            spec:
              cidr: 10.0.0.0/16
            ---
            apiVersion: wgmesh.io/v1
            kind: IPPool
            metadata:
              name: bad
            spec:
              blockSize: 26
              cidr: 10.0.0.0/33
            """
        let error = try #require(throws: ResourceError.self) { try ResourceCodec.decodeYAML(text) }
        #expect(error.document == 2)
        #expect(error.line == 14)
        #expect(error.path == "spec.cidr")
        #expect(error.reason.hasPrefix("document 2 (line 14): spec.cidr: '10.0.0.0/33'"), "\(error.reason)")
    }

    @Test func yamlDecodeValidates() throws {
        let text = """
            apiVersion: wgmesh.io/v1
            kind: IPPool
            metadata: {name: p}
            spec:
              cidr: 10.0.0.1/16
            """
        let error = try #require(throws: ResourceError.self) { try ResourceCodec.decodeYAML(text) }
        #expect(error.reason == "document 1 (line 5): spec.cidr: 10.0.0.1/16 has host bits set; use 10.0.0.0/16")
    }

    @Test func yamlUnknownFieldPointsAtItsLine() throws {
        let text = """
            apiVersion: wgmesh.io/v1
            kind: Node
            metadata:
              name: n
            spec:
              wireguard:
                publicky: abc
            """
        let error = try #require(throws: ResourceError.self) { try ResourceCodec.decodeYAML(text) }
        #expect(error.code == .unknownField)
        #expect(error.reason.hasPrefix("document 1 (line 7): spec.wireguard.publicky: unknown field; known fields: publicKey, listenPort"))
    }

    @Test func yamlUnknownKindIsNamed() throws {
        let error = try #require(throws: ResourceError.self) {
            try ResourceCodec.decodeYAML("apiVersion: wgmesh.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\n")
        }
        #expect(error.code == .unknownKind)
        #expect(error.reason.contains("unknown kind 'NetworkPolicy'"))
        #expect(error.reason.hasPrefix("document 1 (line 2): kind: "))
    }

    @Test func yamlQuotedNumbersAreNotPorts() throws {
        let text = """
            apiVersion: wgmesh.io/v1
            kind: EncryptionConfig
            metadata: {name: default}
            spec: {listenPort: "51820"}
            """
        let error = try #require(throws: ResourceError.self) { try ResourceCodec.decodeYAML(text) }
        #expect(error.path == "spec.listenPort")
    }
}
