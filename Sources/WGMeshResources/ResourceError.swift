/// A resource that could not be decoded or failed validation.
///
/// `reason` is the whole sentence for the operator, starting with the field's
/// path (`spec.cidr: ...`) and, for multi-document input, the document
/// (`document 2 (line 14): ...`); it says what is wrong and how to fix it.
public struct ResourceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short, stable name for logs and tests.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        public var description: String { name }
        /// Text that is not valid JSON or YAML.
        public static let syntax = Code("syntax error")
        /// A `kind:` (or a kind typed on the command line) that is not known.
        public static let unknownKind = Code("unknown kind")
        /// A field that the kind does not have (strict decoding only).
        public static let unknownField = Code("unknown field")
        /// A required field that is absent.
        public static let missingField = Code("missing field")
        /// A field with the wrong type or a value that breaks a rule.
        public static let invalidField = Code("invalid field")
    }

    /// What kind of problem this is.
    public var code: Code
    /// The dotted path of the field at fault (`spec.wireguard.publicKey`); empty for the whole document.
    public var path: String
    /// A sentence for the operator: what was wrong, and what to do.
    public var reason: String
    /// The 1-based line in the input text, when known.
    public var line: Int?
    /// The 1-based column in the input text, when known.
    public var column: Int?
    /// The 1-based document number in multi-document input, when known.
    public var document: Int?

    /// Creates an error; `reason` should already name the field.
    public init(_ code: Code, path: String = "", _ reason: String) {
        self.code = code; self.path = path; self.reason = reason
    }

    /// An error about the field at `path`, with the path put in front of the reason.
    static func field(_ code: Code, _ path: String, _ problem: String) -> ResourceError {
        ResourceError(code, path: path, path.isEmpty ? problem : "\(path): \(problem)")
    }

    /// The same error, placed in document `number` of a multi-document input.
    func inDocument(_ number: Int, line: Int?) -> ResourceError {
        var copy = self
        copy.document = number
        if copy.line == nil { copy.line = line }
        var place = "document \(number)"
        if let line = copy.line { place += copy.column.map { " (line \(line), column \($0))" } ?? " (line \(line))" }
        copy.reason = "\(place): \(reason)"
        return copy
    }

    public var description: String { reason }
}
