/// Lowercase hex for 32-byte keys, the form the UAPI protocol speaks.
enum HexKey {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes 32 bytes as 64 lowercase hex characters.
    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[index * 2] = digits[Int(byte >> 4)]
                out[index * 2 + 1] = digits[Int(byte & 15)]
            }
            return bytes.count * 2
        }
    }

    /// Decodes 64 hex characters into `out`, or returns a reason it cannot.
    static func decode(_ text: Substring.UTF8View, into out: UnsafeMutableRawBufferPointer) -> String? {
        guard text.count == out.count * 2 else {
            return "a hex key is \(out.count * 2) characters, got \(text.count)"
        }
        var index = 0
        var high: UInt8 = 0
        for char in text {
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
            default: return "character \(index + 1) is not a hex digit"
            }
            if index & 1 == 0 { high = nibble } else { out[index / 2] = high << 4 | nibble }
            index += 1
        }
        return nil
    }
}
