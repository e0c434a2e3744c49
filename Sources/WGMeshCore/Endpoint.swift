import Glibc

/// A peer's UDP endpoint: an address, a port and, for link-local IPv6, a scope.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The peer's IP address.
    public var address: IPAddress
    /// The peer's UDP port.
    public var port: UInt16
    /// The IPv6 scope (interface index); 0 when none.
    public var scopeID: UInt32

    /// Creates an endpoint.
    public init(address: IPAddress, port: UInt16, scopeID: UInt32 = 0) {
        self.address = address
        self.port = port
        self.scopeID = scopeID
    }

    /// Parses a numeric `IPv4:port`, `[IPv6]:port` or `[IPv6%scope]:port`.
    ///
    /// Host names are resolved by the CLI, not here, so that a library user
    /// never blocks on DNS by accident.
    public init(_ text: some StringProtocol) throws(InvalidInputError) {
        let text = String(text.trimmingWhitespace())
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw InvalidInputError(.invalidEndpoint, "endpoint '\(text)' should look like [2001:db8::1]:51820")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw InvalidInputError(
                    .invalidEndpoint, "endpoint '\(text)' should look like 192.0.2.1:51820 (IPv6 goes in brackets)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        port = try Endpoint.parsePort(portText, field: "endpoint '\(text)'")
        var scope: UInt32 = 0
        var addressText = host
        if let percent = host.firstIndex(of: "%") {
            addressText = host[..<percent]
            let scopeText = String(host[host.index(after: percent)...])
            if let number = UInt32(scopeText) {
                scope = number
            } else {
                scope = if_nametoindex(scopeText)
                guard scope != 0 else {
                    throw InvalidInputError(.invalidEndpoint, "endpoint '\(text)': no interface named '\(scopeText)'")
                }
            }
        }
        do {
            address = try IPAddress(addressText)
        } catch {
            throw InvalidInputError(
                .invalidEndpoint, "endpoint '\(text)': '\(addressText)' is not an IP address")
        }
        scopeID = scope
    }

    /// Parses a decimal port in 0...65535, naming `field` in the error.
    public static func parsePort(_ text: some StringProtocol, field: String) throws(InvalidInputError) -> UInt16 {
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let value = UInt16(text) else {
            throw InvalidInputError(.invalidPort, "\(field): port '\(text)' is not a number from 0 to 65535")
        }
        return value
    }

    /// `a.b.c.d:port` or `[v6%scope]:port`, as `wg` prints endpoints.
    public var description: String {
        guard address.family == .v6 else { return "\(address):\(port)" }
        var host = address.description
        if scopeID != 0 {
            var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
            host += if_indextoname(scopeID, &name) != nil ? "%" + name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : "%\(scopeID)"
        }
        return "[\(host)]:\(port)"
    }
}
