import Glibc

/// Standard base64 with padding, restricted to the 32-byte keys WireGuard uses.
///
/// wg(8) is strict: 44 characters, `=` last, and the 43rd character must leave
/// no stray bits. We apply the same rules so both tools accept the same keys.
enum Base64Key {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = UInt8(index) }
        return table
    }()

    /// The encoded length of a 32-byte key.
    static let encodedLength = 44

    /// Encodes 32 bytes as 44 characters.
    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        precondition(bytes.count == 32)
        return String(unsafeUninitializedCapacity: encodedLength) { out in
            var o = 0
            var i = 0
            while i + 3 <= 30 {
                let chunk = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out[o] = alphabet[Int(chunk >> 18 & 63)]
                out[o + 1] = alphabet[Int(chunk >> 12 & 63)]
                out[o + 2] = alphabet[Int(chunk >> 6 & 63)]
                out[o + 3] = alphabet[Int(chunk & 63)]
                i += 3
                o += 4
            }
            // 30 bytes done: two remain, which encode to three characters and one `=`.
            let chunk = UInt32(bytes[30]) << 16 | UInt32(bytes[31]) << 8
            out[40] = alphabet[Int(chunk >> 18 & 63)]
            out[41] = alphabet[Int(chunk >> 12 & 63)]
            out[42] = alphabet[Int(chunk >> 6 & 63)]
            out[43] = UInt8(ascii: "=")
            return encodedLength
        }
    }

    /// Encodes 32 bytes as 44 characters at the end of `out`.
    static func encode(_ bytes: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]) {
        precondition(bytes.count == 32)
        alphabet.withUnsafeBufferPointer { alphabet in
            var i = 0
            while i + 3 <= 30 {
                let chunk = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(alphabet[Int(chunk >> 18 & 63)])
                out.append(alphabet[Int(chunk >> 12 & 63)])
                out.append(alphabet[Int(chunk >> 6 & 63)])
                out.append(alphabet[Int(chunk & 63)])
                i += 3
            }
            let chunk = UInt32(bytes[30]) << 16 | UInt32(bytes[31]) << 8
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(alphabet[Int(chunk >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
    }

    /// Decodes exactly 44 characters into `out`, or returns a reason it cannot.
    static func decode(_ text: Substring.UTF8View, into out: UnsafeMutableRawBufferPointer) -> String? {
        precondition(out.count == 32)
        guard text.count == encodedLength else {
            return "a key is 44 base64 characters, got \(text.count)"
        }
        guard text.last == UInt8(ascii: "=") else { return "a key ends with '='" }
        // Straight from the string's storage when it has one (native strings do).
        if let problem = text.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0), into: out) }) {
            return problem
        }
        var copy = Array(text)
        defer { explicit_bzero(&copy, copy.count) }
        return copy.withUnsafeBytes { decode($0, into: out) }
    }

    /// Decodes 44 checked-length characters ending in `=` into `out`.
    private static func decode(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> String? {
        // The 6-bit values on the stack, not in two arrays per key: a
        // 10,000-peer file has 10,000 keys, and the text may be a secret.
        var values: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        defer { values = (0, 0, 0, 0, 0, 0) }
        let problem = withUnsafeMutableBytes(of: &values) { values -> String? in
            decodeTable.withUnsafeBufferPointer { table -> String? in
                for index in 0..<43 {
                    let value = table[Int(text[index])]
                    if value == 0xFF { return "character \(index + 1) is not base64" }
                    values[index] = value
                }
                return nil
            }
        }
        if let problem { return problem }
        return withUnsafeBytes(of: &values) { values -> String? in
            // The last character carries 4 bits of key and 2 bits that must be zero.
            guard values[42] & 3 == 0 else {
                return "the 43rd character must be one of AEIMQUYcgkosw048"
            }
            var o = 0
            var i = 0
            while i + 4 <= 40 {
                let chunk = UInt32(values[i]) << 18 | UInt32(values[i + 1]) << 12 | UInt32(values[i + 2]) << 6
                    | UInt32(values[i + 3])
                out[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: chunk)
                i += 4
                o += 3
            }
            let chunk = UInt32(values[40]) << 18 | UInt32(values[41]) << 12 | UInt32(values[42]) << 6
            out[30] = UInt8(truncatingIfNeeded: chunk >> 16)
            out[31] = UInt8(truncatingIfNeeded: chunk >> 8)
            return nil
        }
    }
}
