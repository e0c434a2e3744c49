import Glibc

/// An RFC 8259 JSON parser over UTF-8 bytes.
///
/// It reads bytes, never `Character`s, so a list of 5,000 nodes decodes in a
/// few milliseconds; errors give the line and column of the first bad byte.
public enum JSONParser {
    /// Bounds that keep hostile input from exhausting the stack or memory.
    public struct Limits: Hashable, Sendable {
        /// The deepest nesting of arrays and objects accepted.
        public var maxDepth: Int
        /// The largest input accepted, in bytes.
        public var maxBytes: Int
        /// The longest single string accepted, in bytes.
        public var maxStringBytes: Int

        /// Creates limits; the defaults suit any real resource list.
        public init(maxDepth: Int = 64, maxBytes: Int = 256 << 20, maxStringBytes: Int = 16 << 20) {
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
            self.maxStringBytes = maxStringBytes
        }
    }

    /// Parses one JSON value from `bytes`; anything but whitespace after it is an error.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(ResourceError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw ResourceError(.syntax, "the JSON input is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        let result: Result<JSONValue, ResourceError> = bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer, limits: limits)
            return Result { () throws(ResourceError) in try scanner.document() }
        }
        return try result.get()
    }

    /// Parses one JSON value from text.
    public static func parse(_ text: String, limits: Limits = Limits()) throws(ResourceError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// The parser's cursor. Paths are built only for objects and arrays, the
/// values that can hold a field an error would need to name.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONParser.Limits
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONParser.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func document() throws(ResourceError) -> JSONValue {
        skipSpace()
        let value = try value(path: "")
        skipSpace()
        if index < bytes.count { throw error("unexpected \(found) after the JSON value; remove it") }
        return value
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// A description of the byte at the cursor, for error messages.
    var found: String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    mutating func value(path: @autoclosure () -> String) throws(ResourceError) -> JSONValue {
        guard index < bytes.count else { throw error("expected a JSON value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(path: path())
        case UInt8(ascii: "["): return try array(path: path())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("expected a JSON value, found \(found)")
        }
    }

    mutating func enter() throws(ResourceError) {
        depth += 1
        if depth > limits.maxDepth {
            throw error("nesting is deeper than \(limits.maxDepth) levels; flatten the document")
        }
    }

    mutating func object(path: String) throws(ResourceError) -> JSONValue {
        try enter()
        index += 1
        var members: [DocumentObject.Member] = []
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(DocumentObject(path: path, members: members))
        }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a quoted member name, found \(found)")
            }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after the member name \"\(key)\", found \(found)")
            }
            index += 1
            skipSpace()
            let value = try value(path: path.isEmpty ? key : path + "." + key)
            members.append(DocumentObject.Member(key: key, value: value))
            skipSpace()
            guard index < bytes.count else { throw error("expected ',' or '}' in an object, found end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(DocumentObject(path: path, members: members))
            } else {
                throw error("expected ',' or '}' after an object member, found \(found)")
            }
        }
    }

    mutating func array(path: String) throws(ResourceError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            let position = elements.count
            elements.append(try value(path: "\(path)[\(position)]"))
            skipSpace()
            guard index < bytes.count else { throw error("expected ',' or ']' in a list, found end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw error("expected ',' or ']' after a list element, found \(found)")
            }
        }
    }

    mutating func literal(_ word: StaticString) throws(ResourceError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard index + count <= bytes.count else { throw error("expected '\(word)', found end of input") }
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw error("expected '\(word)', found \(found)")
        }
        index += count
    }
}
