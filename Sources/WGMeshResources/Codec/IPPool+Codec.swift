import WGMeshCore

extension IPPool {
    static let specFields = ["cidr", "blockSize", "encryption", "nodeSelector", "disabled"]

    /// Decodes `spec` from a document; the block size defaults by family.
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) {
        let document = try FieldReader(fields, known: ResourceCodec.documentFields, strict: strict)
        guard let reader = try document.object("spec", known: IPPool.specFields) else {
            throw ResourceError.field(.missingField, "spec", "required field is missing; add spec.cidr")
        }
        let cidr = try FieldReader.parse(try reader.requiredString("cidr"), at: reader.path("cidr")) {
            text throws(InvalidInputError) in try FastAddress.network(text)
        }
        var encryption = IPPoolSpec.Encryption.wireGuard
        if let text = try reader.string("encryption") {
            guard let value = IPPoolSpec.Encryption(rawValue: text) else {
                let choices = IPPoolSpec.Encryption.allCases.map(\.rawValue).joined(separator: " or ")
                throw ResourceError.field(.invalidField, reader.path("encryption"), "'\(text)' is not \(choices)")
            }
            encryption = value
        }
        let spec = IPPoolSpec(
            cidr: cidr,
            blockSize: try reader.integer("blockSize", as: Int.self),
            encryption: encryption,
            nodeSelector: try reader.selector("nodeSelector") ?? .all,
            disabled: try reader.bool("disabled") ?? false)
        self.init(metadata: metadata, spec: spec)
    }

    /// `spec` with every field.
    public func encodeFields() -> [(String, JSONValue)] {
        [("spec", .object(DocumentObject([
            ("cidr", .string(spec.cidr.description)),
            ("blockSize", .integer(Int64(spec.blockSize))),
            ("encryption", .string(spec.encryption.rawValue)),
            ("nodeSelector", .string(spec.nodeSelector.description)),
            ("disabled", .bool(spec.disabled)),
        ])))]
    }
}
