// PLACEHOLDER: declarations that let other targets compile while the codec,
// selectors and validation are written. The resources helper replaces this
// file entirely (keeping these public names and signatures).
public import WGMeshCore

/// A JSON document tree (also what YAML is converted into).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(DocumentObject)
}

/// A JSON object: members in document order, and the path it was found at
/// (for error messages such as `spec.wireguard.publicKey`).
public struct DocumentObject: Hashable, Sendable {
    public var path: String
    public var members: [Member]
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) { self.key = key; self.value = value }
    }
    public init(path: String = "", members: [Member] = []) { self.path = path; self.members = members }
}

/// A resource that could not be decoded or failed validation.
public struct ResourceError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }
        public static let syntax = Code("syntax error")
        public static let unknownKind = Code("unknown kind")
        public static let unknownField = Code("unknown field")
        public static let missingField = Code("missing field")
        public static let invalidField = Code("invalid field")
    }
    public var code: Code
    public var path: String
    public var reason: String
    public init(_ code: Code, path: String = "", _ reason: String) {
        self.code = code; self.path = path; self.reason = reason
    }
    public var description: String { reason }
}

extension Node {
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) { fatalError() }
    public func encodeFields() -> [(String, JSONValue)] { [] }
    public func validate() throws(ResourceError) {}
}
extension IPPool {
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) { fatalError() }
    public func encodeFields() -> [(String, JSONValue)] { [] }
    public func validate() throws(ResourceError) {}
}
extension EncryptionConfig {
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) { fatalError() }
    public func encodeFields() -> [(String, JSONValue)] { [] }
    public func validate() throws(ResourceError) {}
}
extension BlockAffinity {
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) { fatalError() }
    public func encodeFields() -> [(String, JSONValue)] { [] }
    public func validate() throws(ResourceError) {}
}
extension WorkloadEndpoint {
    public init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError) { fatalError() }
    public func encodeFields() -> [(String, JSONValue)] { [] }
    public func validate() throws(ResourceError) {}
}
