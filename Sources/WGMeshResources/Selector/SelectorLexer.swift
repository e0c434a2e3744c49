/// One token of selector text.
struct SelectorToken: Sendable {
    enum Kind: Equatable, Sendable {
        /// A run of label-key characters: a key, or `all`, `has`, `in`, `not` by position.
        case word(String)
        /// The text between matching quotes; Calico strings have no escapes.
        case string(String)
        case leftParen, rightParen, leftBrace, rightBrace, comma
        case equal, notEqual, not, and, or
        case end
    }

    var kind: Kind
    /// The offset of the token's first byte in the UTF-8 text, for error columns.
    var offset: Int
}

/// The selector text as UTF-8 bytes, with the error helpers that map byte offsets to columns.
struct SelectorSource {
    let text: String
    let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// The 1-based character column of a byte offset; only computed when reporting an error.
    func column(of offset: Int) -> Int {
        String(decoding: bytes[..<offset], as: UTF8.self).count + 1
    }

    /// An error at `offset`.
    func error(_ code: SelectorError.Code, at offset: Int, _ reason: String, fix: String) -> SelectorError {
        SelectorError(code, selector: text, column: column(of: offset), reason: reason, fix: fix)
    }

    /// Splits the text into tokens, ending with `.end`.
    func tokens() throws(SelectorError) -> [SelectorToken] {
        var tokens: [SelectorToken] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            let start = i
            i += 1
            let kind: SelectorToken.Kind
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                guard let close = bytes[i...].firstIndex(of: byte) else {
                    let quote = Character(Unicode.Scalar(byte))
                    throw error(.unterminatedString, at: start, "unterminated string",
                                fix: "end the value with a closing \(quote) quote")
                }
                kind = .string(String(decoding: bytes[i..<close], as: UTF8.self))
                i = close + 1
            case UInt8(ascii: "("): kind = .leftParen
            case UInt8(ascii: ")"): kind = .rightParen
            case UInt8(ascii: "{"): kind = .leftBrace
            case UInt8(ascii: "}"): kind = .rightBrace
            case UInt8(ascii: ","): kind = .comma
            case UInt8(ascii: "="):
                guard i < n, bytes[i] == UInt8(ascii: "=") else {
                    throw error(.unknownToken, at: start, "unknown token '='", fix: "compare with '=='")
                }
                i += 1
                kind = .equal
            case UInt8(ascii: "!"):
                if i < n, bytes[i] == UInt8(ascii: "=") {
                    i += 1
                    kind = .notEqual
                } else {
                    kind = .not
                }
            case UInt8(ascii: "&"), UInt8(ascii: "|"):
                guard i < n, bytes[i] == byte else {
                    let op = Character(Unicode.Scalar(byte))
                    throw error(.unknownToken, at: start, "unknown token '\(op)'", fix: "write '\(op)\(op)'")
                }
                i += 1
                kind = byte == UInt8(ascii: "&") ? .and : .or
            case _ where Self.isKeyByte(byte):
                while i < n, Self.isKeyByte(bytes[i]) { i += 1 }
                kind = .word(String(decoding: bytes[start..<i], as: UTF8.self))
            default:
                let character = String(decoding: bytes[start...], as: UTF8.self).first ?? "?"
                throw error(.unknownToken, at: start, "unknown token '\(character)'",
                            fix: "label keys use letters, digits, '_', '.', '/' and '-', and values are quoted")
            }
            tokens.append(SelectorToken(kind: kind, offset: start))
        }
        tokens.append(SelectorToken(kind: .end, offset: n))
        return tokens
    }

    /// Letters, digits, `_`, `.`, `/` and `-`: the characters of a Kubernetes label key.
    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
