public import WGMeshCore

/// Parses the values wg(8) accepts in config files and `wg set`, with wg's rules
/// and wg's error texts.
///
/// Values arrive with whitespace already removed (wg strips every space from a
/// config line, and from `allowed-ips` arguments), so these never trim.
public enum WGValueParser {
    /// Parses a public key in base64.
    public static func publicKey(_ value: String) throws(WGToolError) -> WireGuardKey {
        do {
            return try WireGuardKey(base64: value)
        } catch {
            throw WGToolError(.invalidValue, "Key is not the correct length or format: `\(value)'")
        }
    }

    /// Parses a private or preshared key in base64.
    ///
    /// Unlike wg, the error does not echo the text: it may be a real secret
    /// with one character mistyped.
    public static func secretKey(_ value: String) throws(WGToolError) -> SecretKey {
        do {
            return try SecretKey(base64: value)
        } catch {
            throw WGToolError(.invalidValue, "Key is not the correct length or format: `(redacted)'")
        }
    }

    /// Parses an fwmark: `off`, decimal, or hex after a lowercase `0x`.
    public static func fwmark(_ value: String) throws(WGToolError) -> UInt32 {
        if value.lowercased() == "off" { return 0 }
        let failure = WGToolError(.invalidValue, "Fwmark is neither 0/off nor 0-0xffffffff: `\(value)'")
        guard let first = value.utf8.first, isDigit(first) else { throw failure }
        let isHex = value.utf8.count > 2 && value.hasPrefix("0x")
        let digits = isHex ? Substring(value.dropFirst(2)) : Substring(value)
        guard let number = UInt64(digits, radix: isHex ? 16 : 10), number <= UInt64(UInt32.max),
            digits.utf8.allSatisfy({ isHex ? isHexDigit($0) : isDigit($0) })
        else { throw failure }
        return UInt32(number)
    }

    /// Parses a persistent-keepalive interval: `off` or 0 to 65535 seconds.
    public static func persistentKeepalive(_ value: String) throws(WGToolError) -> UInt16 {
        if value.lowercased() == "off" { return 0 }
        guard let first = value.utf8.first, isDigit(first), value.utf8.allSatisfy(isDigit),
            let number = UInt16(value)
        else {
            throw WGToolError(
                .invalidValue, "Persistent keepalive interval is neither 0/off nor 1-65535: `\(value)'")
        }
        return number
    }

    /// Comma-separated `IP[/CIDR]` entries, in order, plus wg's warnings for
    /// entries with host bits set (accepted, as wg accepts them).
    public struct AllowedIPs: Sendable, Equatable {
        /// The networks, masked as the device will store them.
        public var networks: [IPNetwork]
        /// Lines for stderr, one per entry with a nonzero host part.
        public var warnings: [String]
    }

    /// Parses an AllowedIPs value; the empty string is an empty list.
    public static func allowedIPs(_ value: String) throws(WGToolError) -> AllowedIPs {
        var result = AllowedIPs(networks: [], warnings: [])
        guard !value.isEmpty else { return result }
        // Byte by byte: a 10,000-peer file has 20,000 entries, and Character
        // splitting plus a String per part was most of its parse time.
        let bytes = Array(value.utf8)
        do throws(WGToolError) {
            var start = 0
            while start <= bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
                let entry = bytes[start..<end]
                start = end + 1
                let slash = entry.firstIndex(of: UInt8(ascii: "/"))
                let addressText = entry[..<(slash ?? entry.endIndex)]
                guard let address = addressText.withUnsafeBytes({ IPAddress(numericUTF8: $0) }) else {
                    throw WGToolError(.invalidValue, "Unable to parse IP address: `\(text(addressText))'")
                }
                var prefix = address.family.bitCount
                if let slash {
                    let mask = entry[(slash + 1)...]
                    var number = 0
                    for char in mask {
                        guard isDigit(char) else { number = Int.max; break }
                        number = min(number * 10 + Int(char - UInt8(ascii: "0")), 1000)
                    }
                    guard !mask.isEmpty, number <= address.family.bitCount else {
                        throw WGToolError(.invalidValue, "AllowedIP is not in the correct format: `\(text(entry))'")
                    }
                    prefix = number
                }
                // Cannot fail: the prefix was range-checked above.
                let network = try! IPNetwork(address: address, prefixLength: prefix)
                let masked = network.masked
                if masked.address != address {
                    result.warnings.append("Warning: AllowedIP has nonzero host part: \(text(entry))")
                }
                result.networks.append(masked)
            }
        } catch {
            // wg prints each warning as it goes, so they precede the error.
            throw WGToolError(error.code, (result.warnings + [error.message]).joined(separator: "\n"))
        }
        return result
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    static func isDigit(_ char: UInt8) -> Bool { char >= UInt8(ascii: "0") && char <= UInt8(ascii: "9") }

    static func isHexDigit(_ char: UInt8) -> Bool {
        isDigit(char) || (char | 0x20 >= UInt8(ascii: "a") && char | 0x20 <= UInt8(ascii: "f"))
    }
}
