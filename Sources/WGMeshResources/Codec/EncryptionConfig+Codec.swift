import WGMeshCore

extension EncryptionConfig {
    static let specFields = ["enabled", "nodeSelector", "hostEncryption", "strictMode", "persistentKeepalive", "mtu",
                             "listenPort", "interfaceName"]

    /// Decodes `spec` from a document; absent fields take the defaults of a new cluster.
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) {
        let document = try FieldReader(fields, known: ResourceCodec.documentFields, strict: strict)
        let defaults = EncryptionConfigSpec()
        var spec = defaults
        if let reader = try document.object("spec", known: EncryptionConfig.specFields) {
            spec = EncryptionConfigSpec(
                enabled: try reader.bool("enabled") ?? defaults.enabled,
                nodeSelector: try reader.selector("nodeSelector") ?? defaults.nodeSelector,
                hostEncryption: try reader.bool("hostEncryption") ?? defaults.hostEncryption,
                strictMode: try reader.bool("strictMode") ?? defaults.strictMode,
                persistentKeepalive: try reader.integer("persistentKeepalive", as: UInt16.self),
                mtu: try reader.integer("mtu", as: Int.self),
                listenPort: try reader.integer("listenPort", as: UInt16.self) ?? defaults.listenPort,
                interfaceName: try reader.parsed("interfaceName") { text throws(InvalidInputError) in
                    try InterfaceName(text)
                } ?? defaults.interfaceName)
        }
        self.init(metadata: metadata, spec: spec)
    }

    /// `spec` with every field that has a value.
    public func encodeFields() -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("enabled", .bool(spec.enabled)),
            ("nodeSelector", .string(spec.nodeSelector.description)),
            ("hostEncryption", .bool(spec.hostEncryption)),
            ("strictMode", .bool(spec.strictMode)),
        ]
        if let keepalive = spec.persistentKeepalive { members.append(("persistentKeepalive", .integer(Int64(keepalive)))) }
        if let mtu = spec.mtu { members.append(("mtu", .integer(Int64(mtu)))) }
        members.append(("listenPort", .integer(Int64(spec.listenPort))))
        members.append(("interfaceName", .string(spec.interfaceName.rawValue)))
        return [("spec", .object(DocumentObject(members)))]
    }
}
