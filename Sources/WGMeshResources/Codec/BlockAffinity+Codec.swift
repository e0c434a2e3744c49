import WGMeshCore

extension BlockAffinity {
    static let specFields = ["cidr", "node"]

    /// Decodes `spec` from a document.
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) {
        let document = try FieldReader(fields, known: ResourceCodec.documentFields, strict: strict)
        guard let reader = try document.object("spec", known: BlockAffinity.specFields) else {
            throw ResourceError.field(.missingField, "spec", "required field is missing; add spec.cidr and spec.node")
        }
        let cidr = try FieldReader.parse(try reader.requiredString("cidr"), at: reader.path("cidr")) {
            text throws(InvalidInputError) in try FastAddress.network(text)
        }
        self.init(metadata: metadata, spec: BlockAffinitySpec(cidr: cidr, node: try reader.requiredString("node")))
    }

    /// `spec`: the block and its node.
    public func encodeFields() -> [(String, JSONValue)] {
        [("spec", .object(DocumentObject([("cidr", .string(spec.cidr.description)), ("node", .string(spec.node))])))]
    }
}
