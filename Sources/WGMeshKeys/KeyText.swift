public import WGMeshCore

/// Reads one base64 key from text with wg's rules: exactly 44 characters,
/// then nothing but whitespace or NUL bytes (a trailing newline is fine).
///
/// `wg pubkey` and wg's key-file reader accept the same inputs, so a key that
/// works with one tool works with the other.
public enum KeyText {
    /// The length of a key in base64, including its `=`.
    public static let base64Length = 44

    /// Whether wg skips `byte` after a key: NUL or C-locale whitespace.
    public static func isIgnorableTrailingByte(_ byte: UInt8) -> Bool {
        byte == 0 || byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Parses text from a file or a pipe into a secret.
    ///
    /// Like wg, the check for trailing characters comes before the check of
    /// the key itself, so both tools report the same problem first.
    public static func secret(from text: UnsafeRawBufferPointer) throws(KeyError) -> SecretKey {
        guard text.count >= base64Length else {
            throw KeyError(.malformed, "a key is \(base64Length) base64 characters, found only \(text.count) bytes")
        }
        guard text[base64Length...].allSatisfy(isIgnorableTrailingByte) else {
            throw KeyError(.trailingCharacters, "found characters after the key; only whitespace may follow it")
        }
        let keyBytes = UnsafeRawBufferPointer(rebasing: text[0..<base64Length])
        guard keyBytes.allSatisfy({ $0 < 0x80 }) else {
            throw KeyError(.malformed, "a key is base64 text, found a non-ASCII byte")
        }
        do {
            return try SecretKey(base64: String(decoding: keyBytes, as: UTF8.self))
        } catch {
            throw KeyError(.malformed, error.reason)
        }
    }
}
