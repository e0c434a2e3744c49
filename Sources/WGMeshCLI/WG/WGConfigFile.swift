internal import Glibc
public import WGMeshCore

/// A wg(8) configuration file (`[Interface]` and `[Peer]` sections), parsed
/// and validated as a whole before anything is sent to a device.
///
/// The rules are wg's: text after `#` is a comment, every whitespace
/// character on a line is dropped (so `Listen Port = 51820` is `ListenPort`),
/// keys are case-insensitive, `AllowedIPs` may repeat and appends, and any
/// other key, or a key outside its section, is an error.
public struct WGConfigFile: Sendable {
    /// One `[Peer]` section.
    public struct Peer: Sendable, Equatable {
        /// The peer's public key.
        public var publicKey: WireGuardKey
        /// The preshared key, when the section sets one.
        public var presharedKey: SecretKey?
        /// The endpoint, when the section sets one (host names already resolved).
        public var endpoint: Endpoint?
        /// The keepalive interval, when the section sets one; 0 is `off`.
        public var persistentKeepalive: UInt16?
        /// Every allowed IP of the section, masked, in order.
        public var allowedIPs: [IPNetwork]
        /// The line of the `[Peer]` header, for messages.
        public var line: Int
    }

    /// The private key, when `[Interface]` sets one.
    public var privateKey: SecretKey?
    /// The listen port, when `[Interface]` sets one.
    public var listenPort: UInt16?
    /// The fwmark, when `[Interface]` sets one; 0 is `off`.
    public var fwmark: UInt32?
    /// The peers in file order; one key may appear twice, as wg allows.
    public var peers: [Peer] = []
    /// Warnings for stderr (allowed IPs with host bits set), in file order.
    public var warnings: [String] = []

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws(WGToolError) -> WGConfigFile {
        guard let file = fopen(path, "r") else {
            throw WGToolError(.file, "fopen: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[0..<count]
            if count < chunk.count { break }
        }
        defer { explicit_bzero(&bytes, bytes.count) }
        if ferror(file) != 0 { throw WGToolError(.file, "fread: \(String(cString: strerror(errno)))") }
        return try WGConfigFile(parsingBytes: bytes)
    }

    /// Parses configuration text; throws at the first bad line, with wg's
    /// message and the line's number in ``WGToolError/line``.
    public init(parsing text: String) throws(WGToolError) {
        var bytes = Array(text.utf8)
        defer { explicit_bzero(&bytes, bytes.count) }
        try self.init(parsingBytes: bytes)
    }

    /// Parses the file's bytes line by line, as wg's getline loop does: lines
    /// end at `\n` only, and no String is made until a value is parsed.
    init(parsingBytes bytes: [UInt8]) throws(WGToolError) {
        var section = Section.none
        var drafts: [PeerDraft] = []
        var lineNumber = 0
        // One scratch line for the whole file, wiped at the end: it held keys.
        let line = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer {
            explicit_bzero(line.baseAddress!, line.count)
            line.deallocate()
        }
        // withUnsafeBufferPointer only rethrows untyped errors; carry ours out.
        var failure: WGToolError?
        bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            while start <= bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                lineNumber += 1
                let length = Self.clean(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: line)
                start = end + 1
                if length == 0 { continue }
                do throws(WGToolError) {
                    try apply(UnsafeBufferPointer(rebasing: line[0..<length]), section: &section, drafts: &drafts,
                              lineNumber: lineNumber)
                } catch {
                    // wg prints each warning as it parses, so they precede the error.
                    let message = (warnings + [error.message, "Configuration parsing error"]).joined(separator: "\n")
                    failure = WGToolError(error.code, message, line: lineNumber)
                    return
                }
            }
        }
        if let failure { throw failure }
        peers.reserveCapacity(drafts.count)
        for draft in drafts {
            guard let key = draft.publicKey else {
                let message = (warnings + ["A peer is missing a public key", "Invalid configuration"])
                    .joined(separator: "\n")
                throw WGToolError(.invalidConfiguration, message, line: draft.line)
            }
            peers.append(Peer(
                publicKey: key, presharedKey: draft.presharedKey, endpoint: draft.endpoint,
                persistentKeepalive: draft.persistentKeepalive, allowedIPs: draft.allowedIPs, line: draft.line))
        }
    }

    private enum Section { case none, interface, peer }

    private struct PeerDraft {
        var publicKey: WireGuardKey?
        var presharedKey: SecretKey?
        var endpoint: Endpoint?
        var persistentKeepalive: UInt16?
        var allowedIPs: [IPNetwork] = []
        var line: Int
    }

    private mutating func apply(
        _ line: UnsafeBufferPointer<UInt8>, section: inout Section, drafts: inout [PeerDraft], lineNumber: Int
    ) throws(WGToolError) {
        if Self.matches(line, "[interface]") {
            section = .interface
            return
        }
        if Self.matches(line, "[peer]") {
            section = .peer
            drafts.append(PeerDraft(line: lineNumber))
            return
        }
        // wg only matches `Key=` followed by at least one character.
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")), equals + 1 < line.count else {
            throw Self.unrecognized(line)
        }
        let key = UnsafeBufferPointer(rebasing: line[..<equals])
        let value = String(decoding: line[(equals + 1)...], as: UTF8.self)
        switch section {
        case .interface:
            if Self.matches(key, "listenport") {
                listenPort = try WGResolver.listenPort(value)
            } else if Self.matches(key, "fwmark") {
                fwmark = try WGValueParser.fwmark(value)
            } else if Self.matches(key, "privatekey") {
                privateKey = try WGValueParser.secretKey(value)
            } else {
                throw Self.unrecognized(line)
            }
        case .peer:
            let last = drafts.count - 1
            if Self.matches(key, "allowedips") {
                let parsed = try WGValueParser.allowedIPs(value)
                warnings += parsed.warnings
                drafts[last].allowedIPs += parsed.networks
            } else if Self.matches(key, "publickey") {
                drafts[last].publicKey = try WGValueParser.publicKey(value)
            } else if Self.matches(key, "endpoint") {
                drafts[last].endpoint = try WGResolver.endpoint(value)
            } else if Self.matches(key, "presharedkey") {
                drafts[last].presharedKey = try WGValueParser.secretKey(value)
            } else if Self.matches(key, "persistentkeepalive") {
                drafts[last].persistentKeepalive = try WGValueParser.persistentKeepalive(value)
            } else {
                throw Self.unrecognized(line)
            }
        case .none:
            throw Self.unrecognized(line)
        }
    }

    private static func unrecognized(_ line: UnsafeBufferPointer<UInt8>) -> WGToolError {
        WGToolError(.unrecognizedLine, "Line unrecognized: `\(String(decoding: line, as: UTF8.self))'")
    }

    /// Whether `bytes` spell `lowercase`, ignoring ASCII case as wg's strncasecmp does.
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        var expected = lowercase.utf8Start
        for byte in bytes {
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            guard folded == expected.pointee else { return false }
            expected += 1
        }
        return true
    }

    /// Writes the line without its comment and without any whitespace, as
    /// wg sees it, to the start of `out` (at least as long); returns its length.
    static func clean(_ line: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var length = 0
        for byte in line {
            if byte == UInt8(ascii: "#") { break }
            if byte == 32 || (9...13).contains(byte) { continue }
            out[length] = byte
            length += 1
        }
        return length
    }
}
