// The canonical text of a selector: it parses back to an equal expression, and
// two equal expressions print the same (set members are sorted).

extension SelectorExpression: CustomStringConvertible {
    var description: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .all:
            out += "all()"
        case .has(let key):
            out += "has(\(key))"
        case .equal(let key, let value):
            out += "\(key) == \(Self.quoted(value))"
        case .notEqual(let key, let value):
            out += "\(key) != \(Self.quoted(value))"
        case .isIn(let key, let values):
            out += "\(key) in \(Self.set(values))"
        case .notIn(let key, let values):
            out += "\(key) not in \(Self.set(values))"
        case .not(let inner):
            out += "!"
            inner.write(to: &out, parenthesised: !inner.isPrimary)
        case .and(let operands):
            for (i, operand) in operands.enumerated() {
                if i > 0 { out += " && " }
                // `&&` binds tighter, so only an `||` inside it needs parentheses.
                if case .or = operand { operand.write(to: &out, parenthesised: true) } else { operand.write(to: &out) }
            }
        case .or(let operands):
            for (i, operand) in operands.enumerated() {
                if i > 0 { out += " || " }
                operand.write(to: &out, parenthesised: operand.isOr)
            }
        }
    }

    private func write(to out: inout String, parenthesised: Bool) {
        if parenthesised { out += "(" }
        write(to: &out)
        if parenthesised { out += ")" }
    }

    /// Whether `!` can precede this without parentheses and still read plainly.
    private var isPrimary: Bool {
        switch self {
        case .all, .has, .not: true
        default: false
        }
    }

    private var isOr: Bool {
        if case .or = self { true } else { false }
    }

    /// Single quotes as in Calico's documentation; double quotes when the value holds a `'`.
    /// A parsed value never holds both kinds, as neither quote has an escape.
    static func quoted(_ value: String) -> String {
        value.contains("'") ? "\"\(value)\"" : "'\(value)'"
    }

    private static func set(_ values: Set<String>) -> String {
        "{" + values.sorted().map(quoted).joined(separator: ", ") + "}"
    }
}
