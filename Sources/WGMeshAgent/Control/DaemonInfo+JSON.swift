import WGMeshCore
public import WGMeshResources

extension DaemonInfo {
    /// The info as the one JSON object the control socket sends.
    public var json: JSONValue {
        .object(DocumentObject([
            ("nodeName", .string(nodeName)),
            ("interfaceName", .string(interfaceName)),
            ("mtu", .integer(Int64(mtu))),
            ("blocks", .array(blocks.map { .string($0.description) })),
            ("publicKey", .string(publicKey.base64)),
            ("backend", .string(backend)),
        ]))
    }

    /// Decodes the info from `json`, checking every field's presence and
    /// type; the error names the first bad field. Members it does not know
    /// are ignored, so a newer daemon may add some.
    public init(json: JSONValue) throws(AgentError) {
        guard case .object(let object) = json else {
            throw Self.malformed("expected a JSON object, got \(json.typeName)")
        }
        let nodeName = try Self.string(object, "nodeName")
        let interfaceName = try Self.string(object, "interfaceName")
        guard case .integer(let mtu)? = object["mtu"], (0...65535).contains(mtu) else {
            throw Self.malformed("mtu must be an integer from 0 to 65535, got \(Self.shown(object["mtu"]))")
        }
        guard case .array(let items)? = object["blocks"] else {
            throw Self.malformed("blocks must be a list of CIDRs, got \(Self.shown(object["blocks"]))")
        }
        var blocks: [IPNetwork] = []
        for item in items {
            guard case .string(let text) = item, let block = try? IPNetwork(text) else {
                throw Self.malformed("blocks holds \(Self.shown(item)), which is not a CIDR")
            }
            blocks.append(block)
        }
        let keyText = try Self.string(object, "publicKey")
        guard let publicKey = try? WireGuardKey(base64: keyText) else {
            throw Self.malformed("publicKey '\(keyText.prefix(64))' is not a base64 WireGuard key")
        }
        self.init(nodeName: nodeName, interfaceName: interfaceName, mtu: Int(mtu), blocks: blocks,
                  publicKey: publicKey, backend: try Self.string(object, "backend"))
    }

    private static func string(_ object: DocumentObject, _ name: String) throws(AgentError) -> String {
        guard case .string(let value)? = object[name] else {
            throw malformed("\(name) must be a string, got \(shown(object[name]))")
        }
        return value
    }

    /// A value for an error message: its type, or "nothing" when absent.
    private static func shown(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        if case .string(let text) = value { return "'\(text.prefix(64))'" }
        return value.typeName
    }

    private static func malformed(_ problem: String) -> AgentError {
        AgentError(.controlSocket, "the info reply is malformed: \(problem)")
    }
}
