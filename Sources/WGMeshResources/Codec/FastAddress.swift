import WGMeshCore

/// Byte-level parsing of the plain IPv4 forms that fill node lists
/// (`192.0.2.1`, `10.65.0.0/26`). Anything else, and every error, goes to
/// WGMeshCore's parsers, so both accept exactly the same text; this only
/// skips their per-Character work on the common path.
enum FastAddress {
    static func address(_ text: String) throws(InvalidInputError) -> IPAddress {
        if let address = ipv4(Substring(text).utf8) { return address }
        return try IPAddress(text)
    }

    static func network(_ text: String) throws(InvalidInputError) -> IPNetwork {
        let utf8 = Substring(text).utf8
        if let slash = utf8.firstIndex(of: UInt8(ascii: "/")),
           let address = ipv4(utf8[..<slash]),
           let prefix = decimal(utf8[utf8.index(after: slash)...], max: 32)
        {
            return try IPNetwork(address: address, prefixLength: prefix)
        }
        return try IPNetwork(text)
    }

    /// Four decimal octets without leading zeros (as inet_pton wants), or nil.
    static func ipv4(_ bytes: Substring.UTF8View) -> IPAddress? {
        var octets: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var count = 0
        var current = 0
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, count < 3 else { return nil }
                withUnsafeMutableBytes(of: &octets) { $0[count] = UInt8(current) }
                count += 1
                current = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits > 0 && current == 0 { return nil }
                current = current * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                guard current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, count == 3 else { return nil }
        withUnsafeMutableBytes(of: &octets) { $0[3] = UInt8(current) }
        return withUnsafeBytes(of: octets) { IPAddress(family: .v4, unsafeBytes: $0) }
    }

    /// A decimal number up to `max` without a leading zero, or nil.
    static func decimal(_ bytes: Substring.UTF8View.SubSequence, max: Int) -> Int? {
        var value = 0
        var digits = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), !(digits > 0 && value == 0) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
            guard value <= max else { return nil }
        }
        return digits > 0 ? value : nil
    }
}
