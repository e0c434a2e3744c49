import Glibc

/// Appends the text forms of addresses, networks, endpoints, keys and numbers
/// to a byte buffer, with the same bytes as their `description`s.
///
/// `wg showconf` and `wg show dump` print tens of thousands of these; making a
/// String for each (and for inet_ntop's IPv4 sprintf) was most of their cost.
public enum TextBytes {
    /// Appends `value` in decimal.
    public static func appendDecimal(_ value: some BinaryInteger, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(value.magnitude), to: &out)
        } else {
            appendDecimal(UInt64(value), to: &out)
        }
    }

    /// Appends `value` in decimal.
    public static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            var rest = value
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest != 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    /// Appends `text`'s UTF-8 bytes.
    public static func append(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }
}

extension IPAddress {
    /// Appends the address as `description` (inet_ntop) writes it.
    public func appendText(to out: inout [UInt8]) {
        withUnsafeBytes { bytes in
            if family == .v4 {
                for index in 0..<4 {
                    if index > 0 { out.append(UInt8(ascii: ".")) }
                    TextBytes.appendDecimal(UInt64(bytes[index]), to: &out)
                }
                return
            }
            // IPv6's compression rules stay inet_ntop's own; only the String goes.
            var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &text) { buffer in
                let chars = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
                guard inet_ntop(AF_INET6, bytes.baseAddress, chars, socklen_t(INET6_ADDRSTRLEN)) != nil else { return }
                out.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress, count: strlen(chars)))
            }
        }
    }
}

extension IPNetwork {
    /// Appends `ADDRESS/PREFIX`, as `description` writes it.
    public func appendText(to out: inout [UInt8]) {
        address.appendText(to: &out)
        out.append(UInt8(ascii: "/"))
        TextBytes.appendDecimal(UInt64(prefixLength), to: &out)
    }
}

extension Endpoint {
    /// Appends the endpoint as `description` writes it.
    public func appendText(to out: inout [UInt8]) {
        // A scope needs an interface-name lookup; that rare case keeps the String path.
        guard scopeID == 0 else { return TextBytes.append(description, to: &out) }
        if address.family == .v6 { out.append(UInt8(ascii: "[")) }
        address.appendText(to: &out)
        if address.family == .v6 { out.append(UInt8(ascii: "]")) }
        out.append(UInt8(ascii: ":"))
        TextBytes.appendDecimal(UInt64(port), to: &out)
    }
}

extension WireGuardKey {
    /// Appends the 44-character base64 form, as `base64` writes it.
    public func appendBase64(to out: inout [UInt8]) {
        withUnsafeBytes { Base64Key.encode($0, appendingTo: &out) }
    }
}

extension Endpoint {
    /// Parses a numeric `IPv4:port` or `[IPv6]:port` straight from UTF-8 bytes,
    /// with no String and no name lookup; nil for anything else (a scope,
    /// spaces, a host name), which callers then hand to `init(_:)`.
    ///
    /// Everything this accepts, `init(_:)` accepts with the same result.
    public init?(numericUTF8 text: UnsafeRawBufferPointer) {
        guard let colon = text.lastIndex(of: UInt8(ascii: ":")), colon > 0,
              colon + 1 < text.count, text.count - colon - 1 <= 5 else { return nil }
        var port: UInt32 = 0
        for char in text[(colon + 1)...] {
            guard char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9") else { return nil }
            port = port * 10 + UInt32(char - UInt8(ascii: "0"))
        }
        guard port <= UInt32(UInt16.max) else { return nil }
        let host: Slice<UnsafeRawBufferPointer>
        let family: IPAddress.Family
        if text[0] == UInt8(ascii: "[") {
            guard colon >= 3, text[colon - 1] == UInt8(ascii: "]") else { return nil }
            host = text[1..<(colon - 1)]
            family = .v6
        } else {
            host = text[..<colon]
            family = .v4
            guard !host.contains(UInt8(ascii: ":")) else { return nil }
        }
        // A zone (`%`) needs a name lookup; leave it to `init(_:)`.
        guard !host.contains(UInt8(ascii: "%")),
              let address = IPAddress(numericUTF8: UnsafeRawBufferPointer(rebasing: host)),
              address.family == family else { return nil }
        self.init(address: address, port: UInt16(port))
    }
}

extension IPAddress {
    /// Parses an address straight from UTF-8 bytes, with the rules of
    /// `init(_:)` (IPv6 when there is a colon, then inet_pton); nil when it is
    /// not an address.
    public init?(numericUTF8 text: UnsafeRawBufferPointer) {
        // INET6_ADDRSTRLEN (46) includes the NUL; no valid address is longer.
        guard text.count < 46 else { return nil }
        let family: IPAddress.Family = text.contains(UInt8(ascii: ":")) ? .v6 : .v4
        var cString: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        var raw: (UInt64, UInt64) = (0, 0)
        let parsed = withUnsafeMutableBytes(of: &cString) { chars in
            chars.copyMemory(from: text)
            return withUnsafeMutableBytes(of: &raw) { out in
                inet_pton(family == .v4 ? AF_INET : AF_INET6,
                          chars.baseAddress!.assumingMemoryBound(to: CChar.self), out.baseAddress) == 1
            }
        }
        guard parsed else { return nil }
        self = Swift.withUnsafeBytes(of: raw) { IPAddress(family: family, unsafeBytes: $0) }
    }
}
