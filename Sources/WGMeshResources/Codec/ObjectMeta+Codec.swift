extension ObjectMeta {
    static let fields = ["name", "namespace", "labels", "resourceVersion"]

    /// Reads `metadata` of a document of `kind`.
    init(document: DocumentObject, kind: ResourceKind, strict: Bool) throws(ResourceError) {
        let header = try FieldReader(document, known: [], strict: false)
        guard let reader = try header.object("metadata", known: ObjectMeta.fields, strict: strict) else {
            throw ResourceError.field(.missingField, "metadata", "required field is missing; add metadata.name")
        }
        let name = try reader.requiredString("name")
        var namespace = try reader.string("namespace")
        if !kind.namespaced && namespace != nil {
            if strict {
                throw ResourceError.field(.unknownField, reader.path("namespace"),
                                          "\(kind.name) is not namespaced; remove the namespace")
            }
            namespace = nil
        }
        var labels: [String: String] = [:]
        if let object = try reader.object("labels", known: [], strict: false) {
            for member in object.object.members {
                guard case .string(let value) = member.value else {
                    throw ResourceError.field(.invalidField, object.path(member.key),
                                              "a label value must be a string, got \(member.value.typeName); quote it")
                }
                guard labels.updateValue(value, forKey: member.key) == nil || !strict else {
                    throw ResourceError.field(.invalidField, object.path(member.key), "the label is given twice; keep one")
                }
            }
        }
        // A revision is a number; YAML users may leave it unquoted.
        var resourceVersion: String?
        if case .integer(let number) = reader.value("resourceVersion") {
            resourceVersion = String(number)
        } else {
            resourceVersion = try reader.string("resourceVersion")
        }
        self.init(name: name, namespace: namespace, labels: labels, resourceVersion: resourceVersion)
    }

    /// `metadata` as a document object; labels sorted by key so output is stable.
    func encoded() -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name))]
        if let namespace { members.append(("namespace", .string(namespace))) }
        if !labels.isEmpty {
            let sorted = labels.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
            members.append(("labels", .object(DocumentObject(sorted))))
        }
        if let resourceVersion { members.append(("resourceVersion", .string(resourceVersion))) }
        return .object(DocumentObject(members))
    }
}
