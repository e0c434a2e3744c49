import WGMeshCore

extension WorkloadEndpoint {
    static let specFields = ["node", "ips", "interfaceName"]

    /// Decodes `spec` from a document.
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) {
        let document = try FieldReader(fields, known: ResourceCodec.documentFields, strict: strict)
        guard let reader = try document.object("spec", known: WorkloadEndpoint.specFields) else {
            throw ResourceError.field(.missingField, "spec", "required field is missing; add spec.node, spec.ips and spec.interfaceName")
        }
        let interface = try FieldReader.parse(try reader.requiredString("interfaceName"), at: reader.path("interfaceName")) {
            text throws(InvalidInputError) in try InterfaceName(text)
        }
        let spec = WorkloadEndpointSpec(
            node: try reader.requiredString("node"),
            ips: try reader.parsedList("ips") { text throws(InvalidInputError) in try FastAddress.network(text) } ?? [],
            interfaceName: interface)
        self.init(metadata: metadata, spec: spec)
    }

    /// `spec`: node, addresses, interface.
    public func encodeFields() -> [(String, JSONValue)] {
        [("spec", .object(DocumentObject([
            ("node", .string(spec.node)),
            ("ips", .array(spec.ips.map { .string($0.description) })),
            ("interfaceName", .string(spec.interfaceName.rawValue)),
        ])))]
    }
}
