/// The parsed form of a selector, evaluated directly against a label map.
///
/// `&&` and `||` hold all their operands in one list, so `a && (b && c)` and
/// `(a && b) && c` are the same value: equality is by meaning where the
/// grammar makes that cheap, and the printed form is canonical.
indirect enum SelectorExpression: Hashable, Sendable {
    case all
    case has(String)
    case equal(String, String)
    case notEqual(String, String)
    case isIn(String, Set<String>)
    case notIn(String, Set<String>)
    case not(SelectorExpression)
    case and([SelectorExpression])
    case or([SelectorExpression])

    /// Whether `labels` satisfy this expression, with Calico's rules for absent keys.
    func matches(_ labels: [String: String]) -> Bool {
        switch self {
        case .all:
            return true
        case .has(let key):
            return labels[key] != nil
        case .equal(let key, let value):
            return labels[key] == value
        case .notEqual(let key, let value):
            // Calico: a missing label is "not equal" to every value.
            return labels[key] != value
        case .isIn(let key, let values):
            guard let value = labels[key] else { return false }
            return values.contains(value)
        case .notIn(let key, let values):
            guard let value = labels[key] else { return true }
            return !values.contains(value)
        case .not(let inner):
            return !inner.matches(labels)
        case .and(let operands):
            for operand in operands where !operand.matches(labels) { return false }
            return true
        case .or(let operands):
            for operand in operands where operand.matches(labels) { return true }
            return false
        }
    }

    /// An `&&` of `operands`, splicing in operands that are themselves `&&`.
    static func and(flattening operands: [SelectorExpression]) -> SelectorExpression {
        if operands.count == 1 { return operands[0] }
        var flat: [SelectorExpression] = []
        for operand in operands {
            if case .and(let inner) = operand { flat += inner } else { flat.append(operand) }
        }
        return .and(flat)
    }

    /// An `||` of `operands`, splicing in operands that are themselves `||`.
    static func or(flattening operands: [SelectorExpression]) -> SelectorExpression {
        if operands.count == 1 { return operands[0] }
        var flat: [SelectorExpression] = []
        for operand in operands {
            if case .or(let inner) = operand { flat += inner } else { flat.append(operand) }
        }
        return .or(flat)
    }
}
