/// Reads and writes resources as JSON and YAML documents:
/// `apiVersion`, `kind`, `metadata`, then the kind's `spec` (and `status`).
public enum ResourceCodec {
    /// The only API version there is so far.
    public static let apiVersion = "wgmesh.io/v1"
    /// The top-level fields every kind has; kinds with a status add `status`.
    static let documentFields = ["apiVersion", "kind", "metadata", "spec"]

    /// Decodes one document of any known kind. `strict` refuses unknown fields
    /// (user input); datastore reads pass false so newer fields are ignored.
    public static func decode(_ document: JSONValue, strict: Bool) throws(ResourceError) -> AnyResource {
        let object = try rootObject(document)
        let type = try kind(of: object)
        return AnyResource(erasing: try decode(type, object: object, strict: strict))
    }

    /// Decodes one JSON document of any known kind.
    public static func decodeJSON(_ bytes: [UInt8], strict: Bool) throws(ResourceError) -> AnyResource {
        try decode(try JSONParser.parse(bytes), strict: strict)
    }

    /// Decodes and validates every document of a YAML stream, strictly (this
    /// is user input). Errors name the document and line:
    /// `document 2 (line 14): spec.cidr: ...`.
    public static func decodeYAML(_ text: String) throws(ResourceError) -> [AnyResource] {
        var resources: [AnyResource] = []
        for document in try YAMLBridge.parsedDocuments(text) {
            do {
                let resource = try decode(document.value, strict: true)
                try resource.base.validate()
                resources.append(resource)
            } catch {
                throw error.inDocument(document.number, line: document.line(of: error.path))
            }
        }
        return resources
    }

    /// Decodes a document that must be of kind `R`: the typed fast path for
    /// store reads, with no existential in between.
    public static func decode<R: Resource>(_ type: R.Type, json: [UInt8], strict: Bool) throws(ResourceError) -> R {
        try decode(type, document: try JSONParser.parse(json), strict: strict)
    }

    /// Decodes a parsed document that must be of kind `R`.
    public static func decode<R: Resource>(_ type: R.Type, document: JSONValue, strict: Bool) throws(ResourceError) -> R {
        let object = try rootObject(document)
        let found = try kind(of: object)
        guard found == R.self else {
            throw ResourceError.field(.invalidField, "kind", "expected \(R.kind.name), got \(found.kind.name)")
        }
        return try decode(R.self, object: object, strict: strict)
    }

    static func decode<R: Resource>(_ type: R.Type, object: DocumentObject, strict: Bool) throws(ResourceError) -> R {
        let metadata = try ObjectMeta(document: object, kind: R.kind, strict: strict)
        return try R(metadata: metadata, fields: object, strict: strict)
    }

    static func rootObject(_ document: JSONValue) throws(ResourceError) -> DocumentObject {
        guard case .object(let object) = document else {
            throw ResourceError(.invalidField, "a resource is an object with apiVersion, kind, metadata and spec, not \(document.typeName)")
        }
        return object
    }

    /// Checks `apiVersion` and finds the type named by `kind`.
    static func kind(of object: DocumentObject) throws(ResourceError) -> any Resource.Type {
        let header = try FieldReader(object, known: [], strict: false)
        let version = try header.requiredString("apiVersion")
        guard version == apiVersion else {
            throw ResourceError.field(.invalidField, "apiVersion", "'\(version)' is not supported; use \(apiVersion)")
        }
        let name = try header.requiredString("kind")
        guard let type = ResourceKind.named(name) else {
            var hint = ""
            if let near = ResourceKind.lookup(name) { hint = " (did you mean \(near.kind.name)? kind is case-sensitive)" }
            throw ResourceError.field(.unknownKind, "kind",
                                      "unknown kind '\(name)'\(hint); known kinds: \(ResourceKind.knownNames)")
        }
        return type
    }

    /// The document for `resource`: header, metadata, then its fields.
    public static func encode(_ resource: any Resource) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("apiVersion", .string(apiVersion)),
            ("kind", .string(type(of: resource).kind.name)),
            ("metadata", resource.metadata.encoded()),
        ]
        members.append(contentsOf: resource.encodeFields())
        return .object(DocumentObject(members))
    }

    /// JSON text for `resource`.
    public static func encodeJSON(_ resource: any Resource, pretty: Bool = false) -> [UInt8] {
        JSONWriter.write(encode(resource), pretty: pretty)
    }

    /// JSON text for a wrapped resource.
    public static func encodeJSON(_ resource: AnyResource, pretty: Bool = false) -> [UInt8] {
        encodeJSON(resource.base, pretty: pretty)
    }

    /// A YAML stream with one document per resource.
    public static func encodeYAML(_ resources: [AnyResource]) -> String {
        YAMLBridge.emit(resources.map { encode($0.base) })
    }
}
