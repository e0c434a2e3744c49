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
        return try WGConfigFile(parsing: String(decoding: bytes, as: UTF8.self))
    }

    /// Parses configuration text; throws at the first bad line, with wg's
    /// message and the line's number in ``WGToolError/line``.
    public init(parsing text: String) throws(WGToolError) {
        var section = Section.none
        var drafts: [PeerDraft] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Self.clean(rawLine)
            if line.isEmpty { continue }
            do {
                try apply(line, section: &section, drafts: &drafts, lineNumber: lineNumber)
            } catch {
                // wg prints each warning as it parses, so they precede the error.
                let message = (warnings + [error.message, "Configuration parsing error"]).joined(separator: "\n")
                throw WGToolError(error.code, message, line: lineNumber)
            }
        }
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
        _ line: String, section: inout Section, drafts: inout [PeerDraft], lineNumber: Int
    ) throws(WGToolError) {
        let lowered = line.lowercased()
        if lowered == "[interface]" {
            section = .interface
            return
        }
        if lowered == "[peer]" {
            section = .peer
            drafts.append(PeerDraft(line: lineNumber))
            return
        }
        let unrecognized = WGToolError(.unrecognizedLine, "Line unrecognized: `\(line)'")
        // wg only matches `Key=` followed by at least one character.
        guard let equals = line.firstIndex(of: "="), line.index(after: equals) != line.endIndex else {
            throw unrecognized
        }
        let key = line[..<equals].lowercased()
        let value = String(line[line.index(after: equals)...])
        switch (section, key) {
        case (.interface, "listenport"): listenPort = try WGResolver.listenPort(value)
        case (.interface, "fwmark"): fwmark = try WGValueParser.fwmark(value)
        case (.interface, "privatekey"): privateKey = try WGValueParser.secretKey(value)
        case (.peer, "publickey"): drafts[drafts.count - 1].publicKey = try WGValueParser.publicKey(value)
        case (.peer, "presharedkey"): drafts[drafts.count - 1].presharedKey = try WGValueParser.secretKey(value)
        case (.peer, "endpoint"): drafts[drafts.count - 1].endpoint = try WGResolver.endpoint(value)
        case (.peer, "persistentkeepalive"):
            drafts[drafts.count - 1].persistentKeepalive = try WGValueParser.persistentKeepalive(value)
        case (.peer, "allowedips"):
            let parsed = try WGValueParser.allowedIPs(value)
            warnings += parsed.warnings
            drafts[drafts.count - 1].allowedIPs += parsed.networks
        default:
            throw unrecognized
        }
    }

    /// The line without its comment and without any whitespace, as wg sees it.
    static func clean(_ line: Substring) -> String {
        var bytes: [UInt8] = []
        for byte in line.utf8 {
            if byte == UInt8(ascii: "#") { break }
            if byte == 32 || (9...13).contains(byte) { continue }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
