/// A recursive-descent parser for Calico's selector grammar:
///
///     selector   = [ or ]                      empty text means all()
///     or         = and { "||" and }
///     and        = unary { "&&" unary }        so && binds tighter than ||
///     unary      = "!" unary | primary
///     primary    = "all()" | "has(" key ")" | "(" or ")" | key comparison
///     comparison = ("==" | "!=") string | ["not"] "in" "{" [ string { "," string } ] "}"
///
/// Every error names the token it stopped at; when the text ends too early it
/// names the token left incomplete instead, which is where the fix goes.
struct SelectorParser {
    private let source: SelectorSource
    private let tokens: [SelectorToken]
    private var index = 0
    private var depth = 0

    init(_ text: String) throws(SelectorError) {
        source = SelectorSource(text)
        tokens = try source.tokens()
    }

    /// Parses the whole text, refusing anything left over.
    mutating func parse() throws(SelectorError) -> SelectorExpression {
        if current.kind == .end { return .all }
        let expression = try parseOr()
        guard current.kind == .end else {
            throw source.error(.trailingInput, at: current.offset,
                               "unexpected \(Self.describe(current)) after a complete selector",
                               fix: "join conditions with '&&' or '||', or remove the extra text")
        }
        return expression
    }

    private var current: SelectorToken { tokens[index] }

    /// The token before the current one: what an error points at when the text ends early.
    private var previous: SelectorToken { tokens[max(index - 1, 0)] }

    private mutating func advance() -> SelectorToken {
        defer { index += 1 }
        return tokens[index]
    }

    private mutating func parseOr() throws(SelectorError) -> SelectorExpression {
        var operands = [try parseAnd()]
        while current.kind == .or {
            index += 1
            operands.append(try parseAnd())
        }
        return .or(flattening: operands)
    }

    private mutating func parseAnd() throws(SelectorError) -> SelectorExpression {
        var operands = [try parseUnary()]
        while current.kind == .and {
            index += 1
            operands.append(try parseUnary())
        }
        return .and(flattening: operands)
    }

    private mutating func parseUnary() throws(SelectorError) -> SelectorExpression {
        guard current.kind == .not else { return try parsePrimary() }
        try enter(advance())
        defer { depth -= 1 }
        return .not(try parseUnary())
    }

    private mutating func parsePrimary() throws(SelectorError) -> SelectorExpression {
        let token = current
        switch token.kind {
        case .leftParen:
            index += 1
            try enter(token)
            defer { depth -= 1 }
            let inner = try parseOr()
            try close(token)
            return inner
        case .word(let word):
            index += 1
            if current.kind == .leftParen, word == "all" || word == "has" {
                let open = advance()
                if word == "all" {
                    try close(open, fix: "all() takes no argument")
                    return .all
                }
                let key = try parseKey(in: open)
                try close(open)
                return .has(key)
            }
            return try parseComparison(key: try validated(word, at: token), keyToken: token)
        case .string(let text):
            throw source.error(.badKey, at: token.offset, "a label key cannot be quoted",
                               fix: "write the key \(SelectorExpression.quoted(text)) without quotes, as in role == 'db'")
        case .end:
            throw source.error(.expectedExpression, at: previous.offset, "expected an expression",
                               fix: "add a condition after \(Self.describe(previous)), such as has(key) or key == 'value'")
        default:
            throw source.error(.expectedExpression, at: token.offset, "expected an expression",
                               fix: "found \(Self.describe(token)); write a condition such as has(key) or key == 'value'")
        }
    }

    /// Counts one level of `(` or `!`, so hostile text cannot exhaust the stack.
    private mutating func enter(_ token: SelectorToken) throws(SelectorError) {
        depth += 1
        guard depth <= LabelSelector.maximumDepth else {
            throw source.error(.tooDeep, at: token.offset,
                               "parentheses and '!' nest deeper than \(LabelSelector.maximumDepth) levels",
                               fix: "simplify the selector")
        }
    }

    /// Consumes the `)` that closes `open`.
    private mutating func close(_ open: SelectorToken, fix: String? = nil) throws(SelectorError) {
        let token = current
        guard token.kind != .rightParen else {
            index += 1
            return
        }
        let openColumn = source.column(of: open.offset)
        if token.kind == .end {
            throw source.error(.missingParenthesis, at: open.offset, "missing ')'",
                               fix: fix ?? "add a ')' to close it")
        }
        throw source.error(.missingParenthesis, at: token.offset, "missing ')'",
                           fix: fix ?? "found \(Self.describe(token)); close the '(' at column \(openColumn) with ')'")
    }

    /// The key inside `has(...)`.
    private mutating func parseKey(in open: SelectorToken) throws(SelectorError) -> String {
        let token = current
        guard case .word(let word) = token.kind else {
            let at = token.kind == .end ? open : token
            throw source.error(.badKey, at: at.offset, "expected a label key in has()",
                               fix: "write has(key), with the key unquoted")
        }
        index += 1
        return try validated(word, at: token)
    }

    /// A key is `name` or `prefix/name`, as in Kubernetes; anything else can never match a label.
    private func validated(_ key: String, at token: SelectorToken) throws(SelectorError) -> String {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts.contains(where: \.isEmpty) else {
            throw source.error(.badKey, at: token.offset, "bad label key '\(key)'",
                               fix: "write name or prefix/name, as in example.com/role, with one '/' at most")
        }
        return key
    }

    private mutating func parseComparison(key: String, keyToken: SelectorToken) throws(SelectorError) -> SelectorExpression {
        let op = current
        switch op.kind {
        case .equal:
            index += 1
            return .equal(key, try parseValue(after: op, key: key))
        case .notEqual:
            index += 1
            return .notEqual(key, try parseValue(after: op, key: key))
        case .word("in"):
            index += 1
            return .isIn(key, try parseSet(after: op))
        case .word("not"):
            index += 1
            guard case .word("in") = current.kind else {
                let at = current.kind == .end ? op : current
                throw source.error(.expectedOperator, at: at.offset, "expected 'in' after 'not'",
                                   fix: "write \(key) not in {'a', 'b'}")
            }
            return .notIn(key, try parseSet(after: advance()))
        case .end:
            throw source.error(.expectedOperator, at: keyToken.offset, "expected an operator after the label key '\(key)'",
                               fix: "write \(key) == 'value', \(key) != 'value', \(key) in {'a', 'b'} or has(\(key))")
        default:
            throw source.error(.expectedOperator, at: op.offset, "expected an operator after the label key '\(key)'",
                               fix: "found \(Self.describe(op)); use '==', '!=', 'in' or 'not in'")
        }
    }

    /// The quoted value after `==` or `!=`.
    private mutating func parseValue(after op: SelectorToken, key: String) throws(SelectorError) -> String {
        let token = current
        switch token.kind {
        case .string(let value):
            index += 1
            return value
        case .word(let word):
            throw source.error(.expectedValue, at: token.offset, "the value '\(word)' is not quoted",
                               fix: "write \(key) \(Self.describe(op).dropFirst().dropLast()) '\(word)'")
        case .end:
            throw source.error(.expectedValue, at: op.offset, "expected a quoted value after \(Self.describe(op))",
                               fix: "add a value in quotes, as in \(key) \(Self.describe(op).dropFirst().dropLast()) 'value'")
        default:
            throw source.error(.expectedValue, at: token.offset, "expected a quoted value after \(Self.describe(op))",
                               fix: "found \(Self.describe(token)); add a value in quotes, as in key == 'value'")
        }
    }

    /// The `{'a', 'b'}` after `in` or `not in`; an empty set is allowed.
    private mutating func parseSet(after inToken: SelectorToken) throws(SelectorError) -> Set<String> {
        guard current.kind == .leftBrace else {
            let at = current.kind == .end ? inToken : current
            throw source.error(.expectedSet, at: at.offset, "expected a set after 'in'",
                               fix: "write the values in braces, as in key in {'a', 'b'}")
        }
        let open = advance()
        var values = Set<String>()
        if current.kind == .rightBrace {
            index += 1
            return values
        }
        while true {
            let token = current
            switch token.kind {
            case .string(let value):
                index += 1
                values.insert(value)
            case .end:
                throw missingBrace(open, found: token)
            case .word(let word):
                throw source.error(.expectedValue, at: token.offset, "the set member '\(word)' is not quoted",
                                   fix: "write '\(word)'")
            default:
                throw source.error(.expectedValue, at: token.offset, "expected a quoted value in the set",
                                   fix: "found \(Self.describe(token)); list quoted values separated by ','")
            }
            switch current.kind {
            case .comma:
                index += 1
            case .rightBrace:
                index += 1
                return values
            default:
                throw missingBrace(open, found: current)
            }
        }
    }

    private func missingBrace(_ open: SelectorToken, found token: SelectorToken) -> SelectorError {
        let openColumn = source.column(of: open.offset)
        if token.kind == .end {
            return source.error(.missingBrace, at: open.offset, "missing '}'",
                                fix: "add a '}' to close it")
        }
        return source.error(.missingBrace, at: token.offset, "missing '}'",
                            fix: "found \(Self.describe(token)); separate values with ',' "
                                + "and close the set opened at column \(openColumn) with '}'")
    }

    /// A token as an error message shows it.
    static func describe(_ token: SelectorToken) -> String {
        switch token.kind {
        case .word(let word): "'\(word)'"
        case .string(let text): "the string \(SelectorExpression.quoted(text))"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .leftBrace: "'{'"
        case .rightBrace: "'}'"
        case .comma: "','"
        case .equal: "'=='"
        case .notEqual: "'!='"
        case .not: "'!'"
        case .and: "'&&'"
        case .or: "'||'"
        case .end: "the end of the selector"
        }
    }
}
