import WGMeshCore
public import WGMeshResources

extension LocalStatus {
    /// The schema name and version every status document carries; a change
    /// that removes or retypes a field gets a new version.
    public static let schema = "wgmesh.status/v1"

    /// The status as the `wgmesh.status/v1` JSON object (docs/status-schema.md).
    public var json: JSONValue {
        .object(DocumentObject([
            ("schema", .string(Self.schema)),
            ("nodeName", .string(nodeName)),
            ("interfaceName", .string(interfaceName)),
            ("publicKey", publicKey.map { .string($0.base64) } ?? .null),
            ("listenPort", .integer(Int64(listenPort))),
            ("fwmark", .integer(Int64(fwmark))),
            ("backend", .string(backend)),
            ("mtu", .integer(Int64(mtu))),
            ("observedAt", .integer(observedAt)),
            ("healthy", .bool(isHealthy)),
            ("peers", .array(peers.map(\.json))),
        ]))
    }

    /// Decodes a `wgmesh.status/v1` object, checking each field; the error
    /// names the first bad one. Unknown members are ignored, so a newer
    /// daemon may add some.
    public init(json: JSONValue) throws(AgentError) {
        let object = try StatusFields(json, what: "status")
        let schema = try object.string("schema")
        guard schema == Self.schema else {
            throw StatusFields.malformed("status", "schema is '\(schema.prefix(40))', not \(Self.schema)")
        }
        guard case .array(let items)? = object.object["peers"] else {
            throw StatusFields.malformed("status", "peers must be a list")
        }
        var peers: [PeerReport] = []
        for item in items { peers.append(try PeerReport(json: item)) }
        self.init(
            nodeName: try object.string("nodeName"), interfaceName: try object.string("interfaceName"),
            publicKey: try object.optionalKey("publicKey"),
            listenPort: UInt16(try object.integer("listenPort", in: 0...65535)),
            fwmark: UInt32(try object.integer("fwmark", in: 0...Int64(UInt32.max))),
            backend: try object.string("backend"), mtu: Int(try object.integer("mtu", in: 0...65535)),
            observedAt: try object.integer("observedAt", in: 0...Int64.max), peers: peers)
    }
}

extension PeerReport {
    /// One entry of the status's `peers` list.
    public var json: JSONValue {
        .object(DocumentObject([
            ("nodeName", nodeName.map { .string($0) } ?? .null),
            ("publicKey", .string(publicKey.base64)),
            ("endpoint", endpoint.map { .string($0) } ?? .null),
            ("allowedIPs", .array(allowedIPs.map { .string($0.description) })),
            ("latestHandshake", latestHandshake.map { .integer($0) } ?? .null),
            ("receivedBytes", .integer(Int64(clamping: receivedBytes))),
            ("sentBytes", .integer(Int64(clamping: sentBytes))),
            ("state", .string(state.rawValue)),
            ("healthy", .bool(state.isHealthy)),
            ("reason", .string(reason)),
        ]))
    }

    /// Decodes one `peers` entry.
    public init(json: JSONValue) throws(AgentError) {
        let object = try StatusFields(json, what: "peer")
        let stateText = try object.string("state")
        guard let state = PeerState(rawValue: stateText) else {
            throw StatusFields.malformed("peer", "state '\(stateText.prefix(20))' is none of "
                + PeerState.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard case .array(let items)? = object.object["allowedIPs"] else {
            throw StatusFields.malformed("peer", "allowedIPs must be a list of CIDRs")
        }
        var allowed: [IPNetwork] = []
        for item in items {
            guard case .string(let text) = item, let network = try? IPNetwork(text) else {
                throw StatusFields.malformed("peer", "allowedIPs holds an entry that is not a CIDR")
            }
            allowed.append(network)
        }
        guard let key = try object.optionalKey("publicKey") else {
            throw StatusFields.malformed("peer", "publicKey must be a base64 WireGuard key")
        }
        self.init(
            nodeName: try object.optionalString("nodeName"), publicKey: key,
            endpoint: try object.optionalString("endpoint"), allowedIPs: allowed,
            latestHandshake: try object.optionalInteger("latestHandshake"),
            receivedBytes: UInt64(try object.integer("receivedBytes", in: 0...Int64.max)),
            sentBytes: UInt64(try object.integer("sentBytes", in: 0...Int64.max)), state: state,
            reason: try object.string("reason"))
    }
}

/// Typed reads of one status object's members, each error naming the field.
struct StatusFields {
    let object: DocumentObject
    let what: String

    init(_ json: JSONValue, what: String) throws(AgentError) {
        guard case .object(let object) = json else {
            throw Self.malformed(what, "expected a JSON object, got \(json.typeName)")
        }
        self.object = object
        self.what = what
    }

    func string(_ name: String) throws(AgentError) -> String {
        guard case .string(let value)? = object[name] else {
            throw Self.malformed(what, "\(name) must be a string")
        }
        return value
    }

    func optionalString(_ name: String) throws(AgentError) -> String? {
        switch object[name] {
        case .string(let value)?: return value
        case .null?, nil: return nil
        default: throw Self.malformed(what, "\(name) must be a string or null")
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws(AgentError) -> Int64 {
        guard case .integer(let value)? = object[name], range.contains(value) else {
            throw Self.malformed(what, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func optionalInteger(_ name: String) throws(AgentError) -> Int64? {
        switch object[name] {
        case .integer(let value)?: return value
        case .null?, nil: return nil
        default: throw Self.malformed(what, "\(name) must be an integer or null")
        }
    }

    func optionalKey(_ name: String) throws(AgentError) -> WireGuardKey? {
        guard let text = try optionalString(name) else { return nil }
        guard let key = try? WireGuardKey(base64: text) else {
            throw Self.malformed(what, "\(name) '\(text.prefix(64))' is not a base64 WireGuard key")
        }
        return key
    }

    static func malformed(_ what: String, _ problem: String) -> AgentError {
        AgentError(.controlSocket, "the \(what) reply is malformed: \(problem); make sure wgmesh and wgmeshd "
            + "are the same version")
    }
}
