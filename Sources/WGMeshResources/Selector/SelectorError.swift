/// Selector text that does not parse: what was wrong, where, and how to fix it.
///
/// The column points at the offending character so an operator can find it in
/// a long selector; when the text simply stops too early, it points at the
/// token that was left incomplete (the dangling `&&`, the unclosed `(`).
public struct SelectorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of mistake, stable for tests and logs.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short, stable name for logs and tests.
        public let name: String
        public var description: String { name }

        /// A quote that is never closed.
        public static let unterminatedString = Code(name: "unterminated string")
        /// A character that starts no token, such as `=`, `&` or `@`.
        public static let unknownToken = Code(name: "unknown token")
        /// An operand is missing: after `&&`, `||`, `!`, `(` or at the start.
        public static let expectedExpression = Code(name: "expected expression")
        /// A label key with no `==`, `!=`, `in` or `not in` after it.
        public static let expectedOperator = Code(name: "expected operator")
        /// `==`, `!=` or a set member that is not a quoted string.
        public static let expectedValue = Code(name: "expected value")
        /// `in` or `not in` without a `{...}` set after it.
        public static let expectedSet = Code(name: "expected set")
        /// A `(` that is never closed.
        public static let missingParenthesis = Code(name: "missing ')'")
        /// A `{` that is never closed, or set members without a comma.
        public static let missingBrace = Code(name: "missing '}'")
        /// Text left over after a complete selector.
        public static let trailingInput = Code(name: "trailing input")
        /// A label key that is missing or malformed.
        public static let badKey = Code(name: "bad key")
        /// Parentheses or `!` nested deeper than ``LabelSelector/maximumDepth``.
        public static let tooDeep = Code(name: "too deep")
    }

    /// What kind of mistake this is.
    public var code: Code
    /// The selector text as given.
    public var selector: String
    /// The 1-based column, in characters, of the offending token.
    public var column: Int
    /// The problem, in a few words: "expected an expression".
    public var reason: String
    /// What to change so the selector parses.
    public var fix: String

    /// Creates an error for `selector` at a 1-based character column.
    public init(_ code: Code, selector: String, column: Int, reason: String, fix: String) {
        self.code = code
        self.selector = selector
        self.column = column
        self.reason = reason
        self.fix = fix
    }

    /// `selector "role == 'db' &&": expected an expression at column 14; add a condition ...`
    public var description: String {
        // Tabs and newlines print as spaces so the column still lines up with the text.
        let shown = String(selector.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return "selector \"\(shown)\": \(reason) at column \(column); \(fix)"
    }
}
