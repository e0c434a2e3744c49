import Glibc

/// The YAML 1.2 core schema's rules for plain scalars.
enum YAMLScalar {
    /// The value a plain scalar stands for.
    static func resolve(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        if bytes.count > 2 && bytes[0] == UInt8(ascii: "0") {
            let digits = text.dropFirst(2)
            if bytes[1] == UInt8(ascii: "o"), let value = Int64(digits, radix: 8), digits.allSatisfy(\.isASCII) {
                return .integer(value)
            }
            if bytes[1] == UInt8(ascii: "x"), let value = Int64(digits, radix: 16), digits.allSatisfy(\.isASCII),
               !digits.hasPrefix("-"), !digits.hasPrefix("+")
            {
                return .integer(value)
            }
        }
        switch shape(bytes) {
        case .integer:
            if let value = Int64(text) { return .integer(value) }
            return .double(strtod(text, nil))
        case .float:
            return .double(strtod(text, nil))
        case .other:
            return .string(text)
        }
    }

    enum Shape { case integer, float, other }

    /// `[-+]?[0-9]+` is an integer; `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` a float.
    static func shape(_ bytes: [UInt8]) -> Shape {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let whole = digits()
        if index == bytes.count { return whole > 0 ? .integer : .other }
        var fraction = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
            if whole == 0 && fraction == 0 { return .other }
        } else if whole == 0 {
            return .other
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            if digits() == 0 { return .other }
        }
        return index == bytes.count ? .float : .other
    }
}
