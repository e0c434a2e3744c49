import Glibc
import WGMeshCore

/// A unit file read the way systemd reads the parts the tests need:
/// `[Section]` headers and `Key=value` lines, repeated keys kept in order.
struct UnitFileForTests {
    /// Every assignment, by section, in file order.
    var sections: [String: [(key: String, value: String)]] = [:]

    /// The checkout's root, from this file's path.
    static let packageRoot: String = {
        let path = #filePath
        guard let range = path.range(of: "/Tests/WGMeshAgentTests/") else { return "." }
        return String(path[..<range.lowerBound])
    }()

    /// Reads `systemd/<name>` from the checkout.
    static func load(_ name: String) throws -> (text: String, unit: UnitFileForTests) {
        let text = try readText(packageRoot + "/systemd/" + name)
        return (text, UnitFileForTests(text))
    }

    init(_ text: String) {
        var section = ""
        for raw in text.split(separator: "\n") {
            let line = String(raw.trimmingWhitespace())
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            sections[section, default: []].append(
                (String(line[..<equals].trimmingWhitespace()), String(line[line.index(after: equals)...].trimmingWhitespace())))
        }
    }

    /// Every value of `key` in `section`.
    func values(_ key: String, in section: String = "Service") -> [String] {
        (sections[section] ?? []).filter { $0.key == key }.map(\.value)
    }

    /// The last value of `key` (systemd's rule for single-valued keys).
    func value(_ key: String, in section: String = "Service") -> String? { values(key, in: section).last }

    /// `Environment=` lines as systemd sets them (no quoting in our units).
    var environment: [String: String] {
        var result: [String: String] = [:]
        for line in values("Environment") {
            for word in line.split(separator: " ") {
                guard let equals = word.firstIndex(of: "=") else { continue }
                result[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
        }
        return result
    }

    /// Reads a whole text file.
    static func readText(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw TestSocketError(text: "cannot read \(path): errno \(errno)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path`.
    static func writeText(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw TestSocketError(text: "cannot write \(path): errno \(errno)") }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
            throw TestSocketError(text: "cannot write \(path): errno \(errno)")
        }
    }
}
