import Testing
import WGMeshCore
@testable import WGMeshResources

@Suite struct CodecRoundTripTests {
    @Test(arguments: ResourceFixtures.all)
    func jsonRoundTrip(resource: AnyResource) throws {
        for pretty in [false, true] {
            let bytes = ResourceCodec.encodeJSON(resource, pretty: pretty)
            let decoded = try ResourceCodec.decodeJSON(bytes, strict: true)
            #expect(decoded == resource)
            // Stable: encoding the decoded value gives the same bytes.
            #expect(ResourceCodec.encodeJSON(decoded, pretty: pretty) == bytes)
        }
    }

    @Test(arguments: ResourceFixtures.all)
    func yamlRoundTrip(resource: AnyResource) throws {
        var withoutVersion = resource
        withoutVersion.metadata.resourceVersion = nil
        let text = ResourceCodec.encodeYAML([withoutVersion])
        let decoded = try ResourceCodec.decodeYAML(text)
        #expect(decoded == [withoutVersion])
    }

    @Test func yamlStreamOfEveryKind() throws {
        let text = ResourceCodec.encodeYAML(ResourceFixtures.all)
        #expect(text.components(separatedBy: "\n---").count == ResourceFixtures.all.count)
        let decoded = try YAMLBridge.documents(text).map { value throws(ResourceError) in
            try ResourceCodec.decode(value, strict: true)
        }
        #expect(decoded == ResourceFixtures.all)
    }

    @Test func typedDecodeOfAnEncodedNode() throws {
        let bytes = ResourceCodec.encodeJSON(ResourceFixtures.node)
        let node = try ResourceCodec.decode(Node.self, json: bytes, strict: false)
        #expect(node == ResourceFixtures.node)
    }

    @Test func typedDecodeRefusesAnotherKind() throws {
        let bytes = ResourceCodec.encodeJSON(ResourceFixtures.pool)
        let error = try #require(throws: ResourceError.self) { try ResourceCodec.decode(Node.self, json: bytes, strict: false) }
        #expect(error.path == "kind")
        #expect(error.reason.contains("expected Node, got IPPool"))
    }

    @Test func encodingOmitsNilOptionalsAndStatus() throws {
        let json = String(decoding: ResourceCodec.encodeJSON(ResourceFixtures.bareNode), as: UTF8.self)
        #expect(json == #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"node-b"},"spec":{"addresses":[],"blocks":[]}}"#)
    }

    @Test func nodeFieldOrderAndNames() throws {
        let value = ResourceCodec.encode(ResourceFixtures.node)
        guard case .object(let root) = value, case .object(let spec)? = root["spec"],
              case .object(let wireguard)? = spec["wireguard"] else { Issue.record("not an object"); return }
        #expect(root.members.map(\.key) == ["apiVersion", "kind", "metadata", "spec", "status"])
        #expect(spec.members.map(\.key) == ["addresses", "wireguard", "blocks"])
        #expect(wireguard.members.map(\.key) == ["publicKey", "listenPort", "interfaceIPv4", "interfaceIPv6"])
        #expect(wireguard["publicKey"] == .string(ResourceFixtures.keyA.base64))
        #expect(value["metadata"]?["labels"] == ["example.com/role": "edge", "zone": "a"])
    }

    @Test func defaultsApplyWhenFieldsAreAbsent() throws {
        let pool = try #require(try ResourceCodec.decodeYAML("""
            apiVersion: wgmesh.io/v1
            kind: IPPool
            metadata: {name: p6}
            spec: {cidr: "fd00::/64"}
            """).first?.as(IPPool.self))
        #expect(pool.spec.blockSize == 122)
        #expect(pool.spec.encryption == .wireGuard)
        #expect(pool.spec.nodeSelector == .all)
        #expect(pool.spec.disabled == false)

        let config = try #require(try ResourceCodec.decodeYAML("""
            apiVersion: wgmesh.io/v1
            kind: EncryptionConfig
            metadata: {name: default}
            spec: {mtu: 1400}
            """).first?.as(EncryptionConfig.self))
        #expect(config.spec == EncryptionConfigSpec(mtu: 1400))

        let node = try #require(try ResourceCodec.decodeJSON(Array("""
            {"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"n"},
             "spec":{"wireguard":{"publicKey":"\(ResourceFixtures.keyA.base64)"}}}
            """.utf8), strict: true).as(Node.self))
        #expect(node.spec.wireguard?.listenPort == 51820)
        #expect(node.status == nil)
    }

    @Test func resourceVersionMayBeAnUnquotedNumber() throws {
        let resource = try #require(try ResourceCodec.decodeYAML("""
            apiVersion: wgmesh.io/v1
            kind: Node
            metadata: {name: n, resourceVersion: 17}
            """).first)
        #expect(resource.metadata.resourceVersion == "17")
    }

    @Test func lenientDecodeIgnoresUnknownFieldsAndForeignNamespace() throws {
        let text = """
            {"apiVersion":"wgmesh.io/v1","kind":"IPPool","extra":1,
             "metadata":{"name":"p","namespace":"x","uid":"u"},
             "spec":{"cidr":"10.0.0.0/8","future":{"a":1}}}
            """
        let pool = try #require(try ResourceCodec.decodeJSON(Array(text.utf8), strict: false).as(IPPool.self))
        #expect(pool.metadata == ObjectMeta(name: "p"))
        #expect(pool.spec.cidr.description == "10.0.0.0/8")
        #expect(throws: ResourceError.self) { try ResourceCodec.decodeJSON(Array(text.utf8), strict: true) }
    }

    @Test func anyResourceEqualityAndHashing() {
        let a = AnyResource(ResourceFixtures.pool)
        var b = a
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        b.metadata.labels["x"] = "y"
        #expect(a != b)
        #expect(b.as(IPPool.self)?.metadata.labels == ["x": "y"])
        #expect(AnyResource(ResourceFixtures.node) != AnyResource(ResourceFixtures.pool))
        #expect(AnyResource(ResourceFixtures.endpoint).description == "WorkloadEndpoint/default/pod-1")
        #expect(a.kind == IPPool.kind)
    }
}
