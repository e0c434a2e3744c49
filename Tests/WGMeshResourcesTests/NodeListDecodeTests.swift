import Testing
import WGMeshCore
@testable import WGMeshResources

/// The store lists 5,000 nodes at once; this checks the typed decode path
/// gets every record right (its speed is measured by the benchmark).
@Suite struct NodeListDecodeTests {
    static func node(_ index: Int) -> Node {
        var key = [UInt8](repeating: 0, count: 32)
        key[0] = UInt8(index & 0xFF)
        key[1] = UInt8(index >> 8)
        key[31] = 1
        let third = index / 64
        let fourth = (index % 64) * 4
        return Node(
            metadata: ObjectMeta(name: "node-\(index)", labels: ["zone": "z\(index % 3)"], resourceVersion: String(index + 1)),
            spec: NodeSpec(
                addresses: [try! IPAddress("192.168.\(third).\(fourth)"), try! IPAddress("2001:db8::\(String(index, radix: 16))")],
                wireguard: NodeWireGuard(publicKey: try! WireGuardKey(rawBytes: key), listenPort: 51820,
                                         interfaceIPv4: try! IPAddress("10.99.\(third).\(fourth)")),
                blocks: [try! IPNetwork("10.\(64 + index / 1024).\((index % 1024) / 4).\((index % 4) * 64)/26")]))
    }

    @Test func decodesFiveThousandNodes() throws {
        let nodes = (0..<5000).map(Self.node)
        let records = nodes.map { ResourceCodec.encodeJSON($0) }
        var decoded: [Node] = []
        decoded.reserveCapacity(records.count)
        for record in records {
            decoded.append(try ResourceCodec.decode(Node.self, json: record, strict: false))
        }
        #expect(decoded == nodes)
        #expect(Set(decoded.compactMap { $0.spec.wireguard?.publicKey }).count == 5000)
        for node in decoded.prefix(50) { try node.validate() }
    }

    @Test func decodesAListDocument() throws {
        var bytes = Array(#"{"items":["#.utf8)
        for index in 0..<200 {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.append(ResourceCodec.encode(Self.node(index)), to: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
        guard case .array(let items)? = try JSONParser.parse(bytes)["items"] else { Issue.record("no items"); return }
        let nodes = try items.map { item throws(ResourceError) in try ResourceCodec.decode(Node.self, document: item, strict: true) }
        #expect(nodes == (0..<200).map(Self.node))
    }
}
