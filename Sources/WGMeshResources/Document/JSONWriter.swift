/// Writes JSON text: compact or pretty (2-space indent), members in their
/// stored order so output is stable, control characters escaped.
public enum JSONWriter {
    /// The UTF-8 bytes of `value`.
    public static func write(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        var writer = Writer(pretty: pretty)
        writer.bytes.reserveCapacity(256)
        writer.value(value, indent: 0)
        return writer.bytes
    }

    /// `value` as text.
    public static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        String(decoding: write(value, pretty: pretty), as: UTF8.self)
    }

    /// Appends `value` to `bytes`, for callers that build one buffer out of many values.
    public static func append(_ value: JSONValue, pretty: Bool = false, to bytes: inout [UInt8]) {
        var writer = Writer(pretty: pretty)
        swap(&writer.bytes, &bytes)
        writer.value(value, indent: 0)
        swap(&writer.bytes, &bytes)
    }
}

private struct Writer {
    let pretty: Bool
    var bytes: [UInt8] = []

    init(pretty: Bool) { self.pretty = pretty }

    mutating func value(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: ascii("null")
        case .bool(let flag): ascii(flag ? "true" : "false")
        case .integer(let number): ascii(String(number))
        case .double(let number):
            // JSON has no NaN or infinity; null is what JavaScript writes too.
            ascii(number.isFinite ? String(number) : "null")
        case .string(let text): string(text)
        case .array(let elements):
            guard !elements.isEmpty else { return ascii("[]") }
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                self.value(element, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.members.isEmpty else { return ascii("{}") }
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                string(member.key)
                bytes.append(UInt8(ascii: ":"))
                if pretty { bytes.append(UInt8(ascii: " ")) }
                self.value(member.value, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func newline(_ indent: Int) {
        guard pretty else { return }
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    mutating func ascii(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Copy runs that need no escaping in one go; most strings are one run.
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        default:
            // Other control characters as \u00XX, so output is safe on a terminal.
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
