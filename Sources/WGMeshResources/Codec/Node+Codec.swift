import WGMeshCore

extension Node {
    static let specFields = ["addresses", "wireguard", "blocks"]
    static let wireguardFields = ["publicKey", "listenPort", "interfaceIPv4", "interfaceIPv6"]
    static let statusFields = ["updated", "peers"]
    static let peerFields = ["node", "publicKey", "endpoint", "latestHandshake", "receivedBytes", "sentBytes", "state"]

    /// Decodes `spec` and `status` from a document.
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) {
        let document = try FieldReader(fields, known: ResourceCodec.documentFields + ["status"], strict: strict)
        var spec = NodeSpec()
        if let reader = try document.object("spec", known: Node.specFields) {
            spec.addresses = try reader.parsedList("addresses") { text throws(InvalidInputError) in try FastAddress.address(text) } ?? []
            spec.blocks = try reader.parsedList("blocks") { text throws(InvalidInputError) in try FastAddress.network(text) } ?? []
            if let wireguard = try reader.object("wireguard", known: Node.wireguardFields) {
                spec.wireguard = try NodeWireGuard(wireguard)
            }
        }
        var status: NodeStatus?
        if let reader = try document.object("status", known: Node.statusFields) {
            var peers: [PeerStatus] = []
            for (position, element) in (try reader.list("peers") ?? []).enumerated() {
                guard case .object(var object) = element else {
                    throw ResourceError.field(.invalidField, reader.path("peers", position), "expected an object, got \(element.typeName)")
                }
                object.path = reader.path("peers", position)
                peers.append(try PeerStatus(FieldReader(object, known: Node.peerFields, strict: strict)))
            }
            status = NodeStatus(updated: try reader.integer("updated", as: Int64.self) ?? 0, peers: peers)
        }
        self.init(metadata: metadata, spec: spec, status: status)
    }

    /// `spec` (addresses, wireguard when set, blocks) and `status` when set.
    public func encodeFields() -> [(String, JSONValue)] {
        var specMembers: [(String, JSONValue)] = [("addresses", .array(spec.addresses.map { .string($0.description) }))]
        if let wireguard = spec.wireguard {
            var members: [(String, JSONValue)] = [
                ("publicKey", .string(wireguard.publicKey.base64)),
                ("listenPort", .integer(Int64(wireguard.listenPort))),
            ]
            if let address = wireguard.interfaceIPv4 { members.append(("interfaceIPv4", .string(address.description))) }
            if let address = wireguard.interfaceIPv6 { members.append(("interfaceIPv6", .string(address.description))) }
            specMembers.append(("wireguard", .object(DocumentObject(members))))
        }
        specMembers.append(("blocks", .array(spec.blocks.map { .string($0.description) })))
        var fields: [(String, JSONValue)] = [("spec", .object(DocumentObject(specMembers)))]
        if let status {
            let peers: [JSONValue] = status.peers.map { peer in
                var members: [(String, JSONValue)] = [("node", .string(peer.node))]
                if let key = peer.publicKey { members.append(("publicKey", .string(key.base64))) }
                if let endpoint = peer.endpoint { members.append(("endpoint", .string(endpoint))) }
                if let handshake = peer.latestHandshake { members.append(("latestHandshake", .integer(handshake))) }
                // Counters above Int64.max cannot happen in practice; clamp rather than trap.
                members.append(("receivedBytes", .integer(Int64(clamping: peer.receivedBytes))))
                members.append(("sentBytes", .integer(Int64(clamping: peer.sentBytes))))
                members.append(("state", .string(peer.state)))
                return .object(DocumentObject(members))
            }
            fields.append(("status", .object(DocumentObject([("updated", .integer(status.updated)), ("peers", .array(peers))]))))
        }
        return fields
    }
}

extension NodeWireGuard {
    init(_ reader: FieldReader) throws(ResourceError) {
        let key = try FieldReader.parse(try reader.requiredString("publicKey"), at: reader.path("publicKey")) {
            text throws(InvalidInputError) in try WireGuardKey(base64: text)
        }
        self.init(
            publicKey: key,
            listenPort: try reader.integer("listenPort", as: UInt16.self) ?? 51820,
            interfaceIPv4: try reader.parsed("interfaceIPv4") { text throws(InvalidInputError) in try FastAddress.address(text) },
            interfaceIPv6: try reader.parsed("interfaceIPv6") { text throws(InvalidInputError) in try FastAddress.address(text) })
    }
}

extension PeerStatus {
    init(_ reader: FieldReader) throws(ResourceError) {
        self.init(
            node: try reader.requiredString("node"),
            publicKey: try reader.parsed("publicKey") { text throws(InvalidInputError) in try WireGuardKey(base64: text) },
            endpoint: try reader.string("endpoint"),
            latestHandshake: try reader.integer("latestHandshake", as: Int64.self),
            receivedBytes: try reader.integer("receivedBytes", as: UInt64.self) ?? 0,
            sentBytes: try reader.integer("sentBytes", as: UInt64.self) ?? 0,
            state: try reader.requiredString("state"))
    }
}
