/// A Calico label selector, such as `role == 'db' && zone in {'a', 'b'}`.
///
/// The text is parsed once; ``matches(_:)`` then walks the parsed form, with no
/// string work beyond the label lookups. Two selectors are equal when their
/// parsed forms are, so `a && (b && c)` equals `a && b && c` and set members may
/// come in any order. ``description`` is the canonical text, which parses back
/// to an equal selector.
///
/// Grammar: `all()`, `k == 'v'`, `k != 'v'`, `has(k)`, `k in {'a', 'b'}`,
/// `k not in {...}`, `!`, `&&` (binds tighter), `||` and parentheses; strings in
/// single or double quotes, without escapes. As in Calico, `!=` and `not in`
/// are true when the label is absent, and empty text selects everything.
public struct LabelSelector: Hashable, Sendable, CustomStringConvertible {
    /// The selector that matches every label set: `all()`.
    public static let all = LabelSelector(expression: .all)

    /// How deeply parentheses and `!` may nest: a bound so hostile text gets an error, not a stack overflow.
    public static let maximumDepth = 64

    let expression: SelectorExpression

    init(expression: SelectorExpression) {
        self.expression = expression
    }

    /// Parses selector text; empty or whitespace-only text means `all()`.
    public init(_ text: String) throws(SelectorError) {
        var parser = try SelectorParser(text)
        expression = try parser.parse()
    }

    /// Whether a resource with these labels is selected.
    public func matches(_ labels: [String: String]) -> Bool {
        expression.matches(labels)
    }

    /// Whether this selector is `all()`, so callers can skip evaluating it.
    public var selectsAll: Bool {
        expression == .all
    }

    /// The canonical text: single-quoted values, sorted set members, parentheses only where needed.
    public var description: String {
        expression.description
    }
}
