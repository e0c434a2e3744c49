import Glibc

// Strings and numbers: the hot loops of the parser.
extension JSONScanner {
    /// Reads a string; the cursor is on the opening quote.
    mutating func string() throws(ResourceError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, which is nearly every key and value. ASCII
        // text needs no UTF-8 validation, the costly part of making a String.
        var high: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let part = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let text = high < 0x80 && part.count <= limits.maxStringBytes
                    ? String(decoding: part, as: UTF8.self) : try utf8String(part, at: start)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            high |= byte
            index += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else {
                index = start - 1
                throw error("a string is not closed; add the closing '\"'")
            }
            let byte = bytes[index]
            if buffer.count > limits.maxStringBytes {
                throw error("a string is longer than \(limits.maxStringBytes) bytes")
            }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try buffer.withUnsafeBufferPointer { (part) throws(ResourceError) in
                    try utf8String(part, at: start)
                }
            case UInt8(ascii: "\\"):
                try escape(into: &buffer)
            case 0..<0x20:
                throw error("a control character (0x\(String(byte, radix: 16))) must be escaped inside a string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    func utf8String(_ part: UnsafeBufferPointer<UInt8>, at start: Int) throws(ResourceError) -> String {
        if part.count > limits.maxStringBytes {
            throw error("a string is longer than \(limits.maxStringBytes) bytes", at: start)
        }
        guard let text = String(validating: part, as: UTF8.self) else {
            throw error("a string is not valid UTF-8", at: start)
        }
        return text
    }

    /// Decodes one escape; the cursor is on the backslash.
    mutating func escape(into buffer: inout [UInt8]) throws(ResourceError) {
        index += 1
        guard index < bytes.count else { throw error("an escape is cut off by the end of input") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                      bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("\\u\(String(scalar, radix: 16)) is a lone high surrogate; add its low half") }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("\\u\(String(low, radix: 16)) does not complete a surrogate pair")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("\\u\(String(scalar, radix: 16)) is a lone low surrogate")
            }
            // Cannot fail: surrogates were excluded above.
            let unicode = Unicode.Scalar(scalar)!
            buffer.append(contentsOf: UTF8.encode(unicode)!)
        default:
            index -= 2
            throw error("'\\\(Character(Unicode.Scalar(byte)))' is not a JSON escape")
        }
    }

    mutating func hex4() throws(ResourceError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("\\u needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("\\u needs four hex digits, found \(found)")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Reads a number: an `.integer` when it has no fraction or exponent and
    /// fits in 64 bits, a `.double` otherwise.
    mutating func number() throws(ResourceError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '-'") }
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count && isDigit(bytes[index]) {
                throw error("a number has a leading zero; write it without one")
            }
        } else {
            while index < bytes.count && isDigit(bytes[index]) {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = sum
                index += 1
            }
        }
        var integral = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            integral = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in the exponent") }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if integral && !overflow {
            if !negative && magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
            if negative && magnitude <= UInt64(Int64.max) + 1 { return .integer(Int64(truncatingIfNeeded: 0 &- magnitude)) }
        }
        let number = parseDouble(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        guard number.isFinite else { throw error("the number is too large for a 64-bit float", at: start) }
        return .double(number)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// strtod on a NUL-terminated copy; the grammar was already checked.
    func parseDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for (offset, byte) in text.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            buffer[text.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// A syntax error at the cursor (or at `offset`), with its line and column.
    func error(_ problem: String, at offset: Int? = nil) -> ResourceError {
        let end = min(offset ?? index, bytes.count)
        var line = 1
        var column = 1
        for position in 0..<end {
            let byte = bytes[position]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count characters, not UTF-8 continuation bytes.
                column += 1
            }
        }
        var error = ResourceError(.syntax, "JSON syntax error at line \(line), column \(column): \(problem)")
        error.line = line
        error.column = column
        return error
    }
}
