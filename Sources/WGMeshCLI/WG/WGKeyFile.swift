internal import Glibc
public import WGMeshCore

/// Reads the key files `wg set` takes for `private-key` and `preshared-key`.
///
/// The rules are wg's, not those of our own key files: no permission check,
/// 44 base64 characters then only whitespace, and an empty file (or
/// `/dev/null`) means "remove the key", which is returned as the zero key.
public enum WGKeyFile {
    /// Reads the key in the file at `path`.
    public static func read(_ path: String) throws(WGToolError) -> SecretKey {
        guard let file = fopen(path, "r") else {
            throw WGToolError(.file, "fopen: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var text = [CChar](repeating: 0, count: 45)
        defer { explicit_bzero(&text, text.count) }
        let count = fread(&text, 1, 44, file)
        if count != 44 {
            if ferror(file) == 0 && feof(file) != 0 && count == 0 { return .zero }
            throw WGToolError(.invalidValue, "Invalid length key in key file")
        }
        while true {
            let char = getc(file)
            if char == EOF { break }
            guard isSpace(char) else {
                throw WGToolError(.invalidValue, "Found trailing character in key file: `\(Character(Unicode.Scalar(UInt8(truncatingIfNeeded: char))))'")
            }
        }
        if ferror(file) != 0 {
            throw WGToolError(.file, "getc: \(String(cString: strerror(errno)))")
        }
        let key = text.withUnsafeBufferPointer { buffer in
            try? SecretKey(base64: String(decoding: UnsafeRawBufferPointer(buffer).prefix(44), as: UTF8.self))
        }
        guard let key else {
            throw WGToolError(.invalidValue, "Key is not the correct length or format: `(redacted)'")
        }
        return key
    }

    /// wg's whitespace: space, tab, newline, vertical tab, form feed, return.
    static func isSpace(_ char: Int32) -> Bool { char == 32 || (9...13).contains(char) }
}
