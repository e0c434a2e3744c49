/// A JSON document tree (also what YAML is converted into).
///
/// Integers that fit in 64 bits stay integers, so ports, byte counts and
/// revisions never pass through a `Double`.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(DocumentObject)

    /// The JSON type's name, for error messages ("expected a string, got an integer").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// The member `key` when this is an object; nil otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}

/// A JSON object: members in document order, and the path it was found at
/// (for error messages such as `spec.wireguard.publicKey`).
public struct DocumentObject: Hashable, Sendable {
    /// Where the object sits in its document, dotted (`spec.wireguard`); empty for the root.
    public var path: String
    /// The members in document order; writers keep this order.
    public var members: [Member]

    /// One `key: value` pair.
    public struct Member: Hashable, Sendable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: JSONValue
        /// Creates a member.
        public init(key: String, value: JSONValue) { self.key = key; self.value = value }
    }

    /// Creates an object.
    public init(path: String = "", members: [Member] = []) { self.path = path; self.members = members }

    /// Creates an object from pairs, in order.
    public init(path: String = "", _ pairs: [(String, JSONValue)]) {
        self.init(path: path, members: pairs.map { Member(key: $0.0, value: $0.1) })
    }

    /// The first member named `key`. Objects are small (a handful of fields),
    /// so a linear scan beats building a dictionary.
    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// Equal when the members are: where an object was found does not change what it says.
    public static func == (lhs: DocumentObject, rhs: DocumentObject) -> Bool { lhs.members == rhs.members }

    public func hash(into hasher: inout Hasher) { hasher.combine(members) }

    /// The path of a member of this object.
    public func path(of key: String) -> String { path.isEmpty ? key : path + "." + key }
}

// Literals make test tables and hand-built documents readable.
extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A floating-point number.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A list.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object whose members keep the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(DocumentObject(elements)) }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONWriter.string(self, pretty: false) }
}
