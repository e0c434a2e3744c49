internal import Glibc
internal import WGMeshCore

/// Where a datastore lives, as a user writes it on the command line or in
/// `WGMESH_DATASTORE`.
///
/// Accepted forms:
/// - `sqlite:///absolute/path`: the embedded store, one file on this machine;
/// - `sqlite:relative/path`: the same, relative to the current directory
///   (resolved when the URL is parsed, so a later `chdir` cannot move it);
/// - `etcd://host:port[,host:port...]`: an etcd cluster over plain gRPC;
///   IPv6 addresses go in brackets (`[::1]:2379`), and the port defaults to 2379;
/// - `etcds://...`: the same over TLS.
public enum DatastoreURL: Hashable, Sendable, CustomStringConvertible {
    /// The embedded SQLite store in the file at an absolute path.
    case sqlite(path: String)
    /// An etcd cluster: its client endpoints, tried in turn, and whether to use TLS.
    case etcd(endpoints: [Endpoint], tls: Bool)

    /// One etcd client endpoint.
    public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
        /// A host name, an IPv4 address, or an IPv6 address without brackets.
        public var host: String
        /// The client port.
        public var port: UInt16

        /// Creates an endpoint.
        public init(host: String, port: UInt16 = DatastoreURL.defaultEtcdPort) {
            self.host = host
            self.port = port
        }

        /// `host:port`, with IPv6 addresses in brackets.
        public var description: String {
            host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    /// etcd's registered client port, used when a URL gives none.
    public static let defaultEtcdPort: UInt16 = 2379

    /// The store used when neither `--datastore` nor `WGMESH_DATASTORE` says otherwise.
    public static let defaultText = "sqlite:///var/lib/wgmesh/datastore.db"

    /// The accepted forms, quoted by every parse error.
    public static let acceptedForms =
        "sqlite:///absolute/path, sqlite:relative/path, etcd://host:port[,host:port...] or etcds://host:port[,host:port...]"

    /// Parses a datastore URL; relative SQLite paths are resolved against
    /// `currentDirectory`, or the process's working directory when nil.
    public init(parsing text: String, currentDirectory: String? = nil) throws(DatastoreError) {
        if let rest = Self.dropScheme("sqlite:", from: text) {
            self = .sqlite(path: try Self.sqlitePath(rest, text: text, currentDirectory: currentDirectory))
        } else if let rest = Self.dropScheme("etcd://", from: text) {
            self = .etcd(endpoints: try Self.endpoints(rest, text: text), tls: false)
        } else if let rest = Self.dropScheme("etcds://", from: text) {
            self = .etcd(endpoints: try Self.endpoints(rest, text: text), tls: true)
        } else {
            let scheme = text.firstIndex(of: ":").map { "scheme '\(text[..<$0])' is not supported" }
                ?? "it has no scheme"
            throw Self.invalid(text, "\(scheme)")
        }
    }

    /// The URL in its canonical form (absolute path, every port spelled out).
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://" + path
        case .etcd(let endpoints, let tls):
            (tls ? "etcds://" : "etcd://") + endpoints.map(\.description).joined(separator: ",")
        }
    }

    /// The text after `scheme` when `text` starts with it, ignoring the scheme's case.
    private static func dropScheme(_ scheme: String, from text: String) -> Substring? {
        guard text.utf8.count >= scheme.utf8.count,
              text.utf8.prefix(scheme.utf8.count).elementsEqual(scheme.utf8, by: { lowercase($0) == $1 })
        else { return nil }
        return text.dropFirst(scheme.count)
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static func sqlitePath(_ rest: Substring, text: String, currentDirectory: String?) throws(DatastoreError)
        -> String
    {
        guard !rest.utf8.contains(0) else { throw invalid(text, "the path contains a NUL byte") }
        if rest.hasPrefix("//") {
            // `sqlite://x/y` would put the file on a host: SQLite files are local.
            let path = rest.dropFirst(2)
            guard path.hasPrefix("/") else {
                throw invalid(text, "sqlite URLs take no host; for an absolute path write sqlite:///path (three slashes)")
            }
            guard path.count > 1, !path.hasSuffix("/") else { throw invalid(text, "the path names no file") }
            return String(path)
        }
        guard !rest.isEmpty, !rest.hasSuffix("/") else { throw invalid(text, "the path names no file") }
        if rest.hasPrefix("/") { return String(rest) }
        guard let base = currentDirectory ?? workingDirectory() else {
            throw invalid(text, "the current directory is unknown, so the relative path cannot be resolved; give an absolute path")
        }
        return (base.hasSuffix("/") ? base : base + "/") + rest
    }

    private static func workingDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func endpoints(_ rest: Substring, text: String) throws(DatastoreError) -> [Endpoint] {
        // One trailing slash is harmless (`etcd://h:2379/`); any other path is a mistake.
        var list = rest
        if list.hasSuffix("/") { list = list.dropLast() }
        if list.contains("@") {
            throw invalid(text, "credentials do not go in the URL; use --etcd-user and --etcd-password-file")
        }
        if let slash = list.firstIndex(of: "/") {
            throw invalid(text, "etcd URLs take no path ('\(list[slash...])'); keys always live under /wgmesh/")
        }
        guard !list.isEmpty else { throw invalid(text, "it names no endpoint; write etcd://host:port") }
        var result: [Endpoint] = []
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            result.append(try endpoint(part, text: text))
        }
        return result
    }

    private static func endpoint(_ part: Substring, text: String) throws(DatastoreError) -> Endpoint {
        guard !part.isEmpty else { throw invalid(text, "it has an empty endpoint between commas") }
        let host: Substring
        let portText: Substring?
        if part.hasPrefix("[") {
            guard let close = part.firstIndex(of: "]") else {
                throw invalid(text, "endpoint '\(part)' opens '[' without closing it")
            }
            host = part[part.index(after: part.startIndex)..<close]
            let after = part[part.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else {
                throw invalid(text, "endpoint '\(part)' has '\(after)' after the address; write [address]:port")
            }
            guard (try? IPAddress(host))?.family == .v6 else {
                throw invalid(text, "endpoint '\(part)': '\(host)' is not an IPv6 address")
            }
        } else {
            let colons = part.filter { $0 == ":" }.count
            if colons > 1 {
                throw invalid(text, "endpoint '\(part)' looks like a bare IPv6 address; put it in brackets: [address]:port")
            }
            if let colon = part.firstIndex(of: ":") {
                host = part[..<colon]
                portText = part[part.index(after: colon)...]
            } else {
                host = part
                portText = nil
            }
            guard isHostName(host) else {
                throw invalid(text, "endpoint '\(part)': '\(host)' is not a host name or IPv4 address")
            }
        }
        guard let portText else { return Endpoint(host: String(host)) }
        guard portText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let port = UInt16(portText), port > 0
        else {
            throw invalid(text, "endpoint '\(part)': port '\(portText)' is not a number from 1 to 65535")
        }
        return Endpoint(host: String(host), port: port)
    }

    /// Letters, digits, '-' and '.', as DNS names and IPv4 addresses are spelled.
    private static func isHostName(_ host: Substring) -> Bool {
        !host.isEmpty && host.utf8.count <= 253 && host.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
    }

    private static func invalid(_ text: String, _ problem: String) -> DatastoreError {
        // A URL with '@' may carry a password: never echo it.
        let shown = text.contains("@") ? "" : " '\(text)'"
        return DatastoreError(.invalidConfiguration,
                              "datastore URL\(shown) is not usable: \(problem). Accepted forms: \(acceptedForms)")
    }
}
