internal import Glibc
public import WGMeshCore

/// Resolves endpoints and listen ports through getaddrinfo, as wg(8) does, so
/// host names, service names and scoped IPv6 addresses all behave the same.
public enum WGResolver {
    /// Parses `host:port` or `[host]:port`, resolving host names.
    ///
    /// Transient DNS failures are retried with a growing pause, 15 times or as
    /// `WG_ENDPOINT_RESOLUTION_RETRIES` says (`infinity` for ever), like wg.
    public static func endpoint(_ value: String) throws(WGToolError) -> Endpoint {
        guard !value.isEmpty else { throw WGToolError(.invalidValue, "Unable to parse empty endpoint") }
        // A numeric address and port need no getaddrinfo (which reads
        // /etc/gai.conf and friends) nor Character-level splitting: 10,000
        // peers' endpoints cost 10,000 of each. Anything else takes the long way.
        var text = value
        if let numeric = text.withUTF8({ Endpoint(numericUTF8: UnsafeRawBufferPointer($0)) }) {
            _ = try resolutionRetries()  // a bad WG_ENDPOINT_RESOLUTION_RETRIES fails either way
            return numeric
        }
        let host: Substring
        let port: Substring
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else {
                throw WGToolError(.invalidValue, "Unable to find matching brace of endpoint: `\(value)'")
            }
            let rest = value[value.index(after: close)...]
            guard rest.hasPrefix(":"), rest.count > 1 else {
                throw WGToolError(.invalidValue, "Unable to find port of endpoint: `\(value)'")
            }
            host = value[value.index(after: value.startIndex)..<close]
            port = rest.dropFirst()
        } else {
            guard let colon = value.lastIndex(of: ":"), value.index(after: colon) != value.endIndex else {
                throw WGToolError(.invalidValue, "Unable to find port of endpoint: `\(value)'")
            }
            host = value[..<colon]
            port = value[value.index(after: colon)...]
        }
        var retries = try resolutionRetries()
        var pause: UInt32 = 1_000_000
        while true {
            switch lookUp(host: String(host), service: String(port), passive: false) {
            case .success(let endpoint?):
                return endpoint
            case .success(nil):
                throw WGToolError(.invalidValue, "Neither IPv4 nor IPv6 address found: `\(value)'")
            case .failure(let failure):
                // EAI_NONAME, EAI_FAIL and EAI_NODATA are final; anything else may pass.
                let isFinal = failure.code == EAI_NONAME || failure.code == EAI_FAIL || failure.code == eaiNoData
                if isFinal || retries == 0 {
                    throw WGToolError(.invalidValue, "\(failure.message): `\(value)'")
                }
                if retries > 0 { retries -= 1 }
                let seconds = formatDouble(Double(pause) / 1_000_000, decimals: 2)
                WGOutput.writeError("\(failure.message): `\(value)'. Trying again in \(seconds) seconds...\n")
                usleep(pause)
                pause = min(20_000_000, pause * 6 / 5)
            }
        }
    }

    /// Parses a listen port: a number or a UDP service name, as getaddrinfo
    /// reads it (which, like wg, keeps the low 16 bits of a number too large).
    public static func listenPort(_ value: String) throws(WGToolError) -> UInt16 {
        guard !value.isEmpty else { throw WGToolError(.invalidValue, "Unable to parse empty port") }
        switch lookUp(host: nil, service: value, passive: true) {
        case .success(let endpoint?): return endpoint.port
        case .success(nil): throw WGToolError(.invalidValue, "Neither IPv4 nor IPv6 address found: `\(value)'")
        case .failure(let failure): throw WGToolError(.invalidValue, "\(failure.message): `\(value)'")
        }
    }

    /// glibc's EAI_NODATA, hidden behind _GNU_SOURCE in the imported headers.
    static let eaiNoData: Int32 = -5

    struct LookupFailure: Error {
        var code: Int32
        var message: String
    }

    /// One getaddrinfo call for UDP; the first IPv4 or IPv6 answer, or nil when
    /// the first answer is neither.
    static func lookUp(host: String?, service: String, passive: Bool) -> Result<Endpoint?, LookupFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_UDP)
        if passive { hints.ai_flags = AI_PASSIVE }
        var list: UnsafeMutablePointer<addrinfo>?
        let status: Int32 =
            if let host { getaddrinfo(host, service, &hints, &list) } else { getaddrinfo(nil, service, &hints, &list) }
        guard status == 0, let first = list else {
            let message = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            return .failure(LookupFailure(code: status, message: message))
        }
        defer { freeaddrinfo(list) }
        return .success(endpoint(from: first.pointee))
    }

    static func endpoint(from info: addrinfo) -> Endpoint? {
        guard let address = info.ai_addr else { return nil }
        let length = Int(info.ai_addrlen)
        if info.ai_family == AF_INET, length == MemoryLayout<sockaddr_in>.size {
            let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            let ip = withUnsafeBytes(of: v4.sin_addr) { IPAddress(family: .v4, unsafeBytes: $0) }
            return Endpoint(address: ip, port: UInt16(bigEndian: v4.sin_port))
        }
        if info.ai_family == AF_INET6, length == MemoryLayout<sockaddr_in6>.size {
            let v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            let ip = withUnsafeBytes(of: v6.sin6_addr) { IPAddress(family: .v6, unsafeBytes: $0) }
            return Endpoint(address: ip, port: UInt16(bigEndian: v6.sin6_port), scopeID: v6.sin6_scope_id)
        }
        return nil
    }

    /// How many more times a transient failure is retried; -1 for ever.
    static func resolutionRetries() throws(WGToolError) -> Int {
        guard let raw = getenv("WG_ENDPOINT_RESOLUTION_RETRIES") else { return 15 }
        let text = String(cString: raw)
        if text == "infinity" { return -1 }
        guard !text.isEmpty, text.utf8.allSatisfy(WGValueParser.isDigit), let number = Int32(text) else {
            throw WGToolError(.invalidValue, "Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `\(text)'")
        }
        return Int(number)
    }
}
