import Glibc
import WGMeshCore

/// Builds a ``WireGuardDevice`` from the `key=value` lines of a UAPI `get=1` reply.
///
/// Tolerant where implementations differ (missing fields, unknown keys, boringtun's
/// `own_public_key` and relative handshake times), strict about lines it cannot read.
/// Values are parsed straight from the reply bytes: a 10,000-peer reply is ~130,000 lines.
struct UAPIDeviceParser {
    private(set) var device: WireGuardDevice
    // Not an Optional: `peer.field = ...` copied the whole peer out and back
    // for each of a 10,000-peer reply's 100,000 peer lines.
    private var peer = WireGuardPeer(publicKey: .zero)
    private var inPeer = false
    private var handshakeSeconds: Int64 = 0
    private var handshakeNanoseconds: Int64 = 0
    /// boringtun reports `own_public_key` and handshake times as "seconds ago", not an epoch.
    private var handshakesAreRelative = false
    private let now: Timestamp
    private var lineNumber = 0
    /// The errno line's value (made positive), once seen.
    private(set) var errno: Int32?

    /// Creates a parser for device `name`; `now` turns boringtun's relative handshake times into wall-clock ones.
    init(name: String, now: Timestamp = UAPIDeviceParser.currentTime()) {
        device = WireGuardDevice(name: name)
        self.now = now
    }

    /// The wall clock, for boringtun's relative handshake times.
    static func currentTime() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int64(spec.tv_nsec))
    }

    /// Takes one line without its newline; returns false at the blank line that ends the reply.
    mutating func consume(_ line: UnsafeRawBufferPointer) throws(WireGuardError) -> Bool {
        lineNumber += 1
        if line.isEmpty {
            guard errno != nil else { throw malformed("a blank line came before the errno line") }
            finishPeer()
            return false
        }
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")), equals > 0 else {
            throw malformed("'\(Self.printable(line))' is not key=value")
        }
        let keyBytes = UnsafeRawBufferPointer(rebasing: line[..<equals])
        let value = UnsafeRawBufferPointer(rebasing: line[(equals + 1)...])
        if errno != nil { throw malformed("'\(Self.printable(keyBytes))' came after the errno line") }
        // Unknown keys are skipped: newer implementations add fields, and wg(8) ignores them too.
        guard let key = UAPIKey.match(keyBytes) else { return true }
        if key.isPeerKey {
            try applyPeer(key, value)
        } else {
            try apply(key, value)
        }
        return true
    }

    private mutating func apply(_ key: UAPIKey, _ value: UnsafeRawBufferPointer) throws(WireGuardError) {
        switch key {
        case .errno:
            // wireguard-go sends it negative, boringtun positive.
            let digits = value.first == UInt8(ascii: "-") ? UnsafeRawBufferPointer(rebasing: value.dropFirst()) : value
            let magnitude: UInt16 = try number(key, digits, whole: value)
            errno = Int32(magnitude)
        case .privateKey:
            let secret = try secretKey(key, value)
            device.privateKey = secret.isZero ? nil : secret
        case .ownPublicKey:
            device.publicKey = try publicKey(key, value)
            handshakesAreRelative = true
        case .listenPort:
            device.listenPort = try number(key, value)
        case .fwmark:
            device.fwmark = try number(key, value)
        default:
            finishPeer()
            peer = WireGuardPeer(publicKey: try publicKey(key, value))
            inPeer = true
        }
    }

    private mutating func applyPeer(_ key: UAPIKey, _ value: UnsafeRawBufferPointer) throws(WireGuardError) {
        guard inPeer else { throw malformed("'\(key.text)' came before any public_key") }
        switch key {
        case .presharedKey:
            let secret = try secretKey(key, value)
            peer.presharedKey = secret.isZero ? nil : secret
        case .endpoint: peer.endpoint = try endpoint(key, value)
        case .lastHandshakeSeconds: handshakeSeconds = try number(key, value)
        case .lastHandshakeNanoseconds: handshakeNanoseconds = try number(key, value)
        case .txBytes: peer.txBytes = try number(key, value)
        case .rxBytes: peer.rxBytes = try number(key, value)
        case .persistentKeepalive: peer.persistentKeepalive = try number(key, value)
        case .protocolVersion: peer.protocolVersion = try number(key, value)
        default:
            guard let network = Self.network(value) else { throw invalid(key, value) }
            peer.allowedIPs.append(network)
        }
    }

    private mutating func finishPeer() {
        guard inPeer else { return }
        inPeer = false
        var finished = WireGuardPeer(publicKey: .zero)
        swap(&finished, &peer)
        if handshakeSeconds != 0 || handshakeNanoseconds != 0 {
            if handshakesAreRelative {
                var seconds = now.seconds - handshakeSeconds
                var nanoseconds = now.nanoseconds - handshakeNanoseconds
                if nanoseconds < 0 { nanoseconds += 1_000_000_000; seconds -= 1 }
                finished.lastHandshake = Timestamp(seconds: seconds, nanoseconds: nanoseconds)
            } else {
                finished.lastHandshake = Timestamp(seconds: handshakeSeconds, nanoseconds: handshakeNanoseconds)
            }
        }
        device.peers.append(finished)
        handshakeSeconds = 0
        handshakeNanoseconds = 0
    }

    // MARK: values

    /// A decimal number that fits `T`, parsed without making a String; `whole` is what errors quote.
    private func number<T: FixedWidthInteger>(
        _ key: UAPIKey, _ digits: UnsafeRawBufferPointer, whole: UnsafeRawBufferPointer? = nil
    ) throws(WireGuardError) -> T {
        guard !digits.isEmpty, digits.count <= 20 else { throw invalid(key, whole ?? digits) }
        var result: T = 0
        for char in digits {
            guard char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9") else { throw invalid(key, whole ?? digits) }
            let (times, overflowed) = result.multipliedReportingOverflow(by: 10)
            let (sum, carried) = times.addingReportingOverflow(T(char - UInt8(ascii: "0")))
            guard !overflowed, !carried else { throw invalid(key, whole ?? digits) }
            result = sum
        }
        return result
    }

    /// `ADDRESS/PREFIX` through inet_pton on a stack copy; nil when either part is wrong.
    static func network(_ text: UnsafeRawBufferPointer) -> IPNetwork? {
        // INET6_ADDRSTRLEN is 46 including the NUL.
        guard let slash = text.firstIndex(of: UInt8(ascii: "/")), slash > 0, slash < 46,
              slash + 1 < text.count, text.count - slash - 1 <= 3 else { return nil }
        var prefix = 0
        for char in text[(slash + 1)...] {
            guard char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9") else { return nil }
            prefix = prefix * 10 + Int(char - UInt8(ascii: "0"))
        }
        let family: IPAddress.Family = text[..<slash].contains(UInt8(ascii: ":")) ? .v6 : .v4
        var cString: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        var raw: (UInt64, UInt64) = (0, 0)
        let parsed = withUnsafeMutableBytes(of: &cString) { cBytes in
            cBytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: text[..<slash]))
            return withUnsafeMutableBytes(of: &raw) { out in
                inet_pton(family == .v4 ? AF_INET : AF_INET6,
                          cBytes.baseAddress!.assumingMemoryBound(to: CChar.self), out.baseAddress) == 1
            }
        }
        guard parsed else { return nil }
        let address = withUnsafeBytes(of: raw) { IPAddress(family: family, unsafeBytes: $0) }
        return try? IPNetwork(address: address, prefixLength: prefix)
    }

    private func endpoint(_ key: UAPIKey, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> Endpoint {
        if let parsed = Endpoint(numericUTF8: value) { return parsed }
        let string = String(decoding: value, as: UTF8.self)
        if let parsed = try? Endpoint(string) { return parsed }
        // A zone naming an interface this namespace lacks still tells us the address and port.
        if let percent = string.firstIndex(of: "%"), let close = string.firstIndex(of: "]"), percent < close,
           let parsed = try? Endpoint(String(string[..<percent] + string[close...])) {
            return parsed
        }
        throw invalid(key, value)
    }

    private func publicKey(_ key: UAPIKey, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> WireGuardKey {
        var raw: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &raw) { Self.decodeHex(value, into: $0) }
        guard ok else { throw invalid(key, value) }
        return withUnsafeBytes(of: raw) { WireGuardKey(unsafeBytes: $0) }
    }

    private func secretKey(_ key: UAPIKey, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> SecretKey {
        var ok = false
        let secret = SecretKey { ok = Self.decodeHex(value, into: $0) }
        // Never echo a secret, even a malformed one.
        guard ok else { throw malformed("'\(key.text)' is not 64 hex characters") }
        return secret
    }

    /// Decodes exactly `out.count * 2` hex digits, straight from the reply buffer.
    static func decodeHex(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard text.count == out.count * 2 else { return false }
        for index in 0..<out.count {
            guard let high = nibble(text[index * 2]), let low = nibble(text[index * 2 + 1]) else { return false }
            out[index] = high << 4 | low
        }
        return true
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: errors

    private func invalid(_ key: UAPIKey, _ value: UnsafeRawBufferPointer) -> WireGuardError {
        malformed("'\(key.text)=\(Self.printable(value))' has an invalid value")
    }

    private func malformed(_ problem: String) -> WireGuardError {
        WireGuardError(.malformedReply, device: device.name,
                       "Unable to read interface \(device.name): the userspace process sent an unexpected reply (line \(lineNumber): \(problem)); check that it is wireguard-go or boringtun")
    }

    /// At most 80 characters, with control bytes shown as `?`, so an error message stays one readable line.
    static func printable(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = bytes.prefix(80).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }
        return String(decoding: shown, as: UTF8.self) + (bytes.count > 80 ? "..." : "")
    }
}
