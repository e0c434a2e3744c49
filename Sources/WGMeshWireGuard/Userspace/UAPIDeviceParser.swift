import Glibc
import WGMeshCore

/// Builds a ``WireGuardDevice`` from the `key=value` lines of a UAPI `get=1` reply.
///
/// Tolerant where implementations differ (missing fields, unknown keys, boringtun's
/// `own_public_key` and relative handshake times), strict about lines it cannot read.
struct UAPIDeviceParser {
    private(set) var device: WireGuardDevice
    private var peer: WireGuardPeer?
    private var handshakeSeconds: Int64 = 0
    private var handshakeNanoseconds: Int64 = 0
    /// boringtun reports `own_public_key` and handshake times as "seconds ago", not an epoch.
    private var handshakesAreRelative = false
    private let now: Timestamp
    private var lineNumber = 0
    /// The errno line, once seen.
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
        let key = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<equals]), as: UTF8.self)
        let value = UnsafeRawBufferPointer(rebasing: line[(equals + 1)...])
        if errno != nil { throw malformed("'\(key)' came after the errno line") }
        try apply(key: key, value: value)
        return true
    }

    private mutating func apply(key: String, value: UnsafeRawBufferPointer) throws(WireGuardError) {
        switch key {
        case "errno":
            guard let number = Int32(text(value)), number != .min else { throw invalid(key, value) }
            errno = abs(number)
        case "private_key":
            let secret = try secretKey(key, value)
            device.privateKey = secret.isZero ? nil : secret
        case "own_public_key":
            device.publicKey = try publicKey(key, value)
            handshakesAreRelative = true
        case "listen_port":
            device.listenPort = try number(key, value)
        case "fwmark":
            device.fwmark = try number(key, value)
        case "public_key":
            finishPeer()
            peer = WireGuardPeer(publicKey: try publicKey(key, value))
        default:
            try applyPeer(key: key, value: value)
        }
    }

    private static let peerKeys: Set<String> = [
        "preshared_key", "endpoint", "last_handshake_time_sec", "last_handshake_time_nsec", "tx_bytes",
        "rx_bytes", "persistent_keepalive_interval", "allowed_ip", "protocol_version",
    ]

    private mutating func applyPeer(key: String, value: UnsafeRawBufferPointer) throws(WireGuardError) {
        // Unknown keys are skipped: newer implementations add fields, and wg(8) ignores them too.
        guard Self.peerKeys.contains(key) else { return }
        guard var current = peer else { throw malformed("'\(key)' came before any public_key") }
        // Take the peer out while editing so the allowed-IP array is not copied on each append.
        peer = nil
        defer { peer = current }
        switch key {
        case "preshared_key":
            let secret = try secretKey(key, value)
            current.presharedKey = secret.isZero ? nil : secret
        case "endpoint": current.endpoint = try endpoint(key, value)
        case "last_handshake_time_sec": handshakeSeconds = try number(key, value)
        case "last_handshake_time_nsec": handshakeNanoseconds = try number(key, value)
        case "tx_bytes": current.txBytes = try number(key, value)
        case "rx_bytes": current.rxBytes = try number(key, value)
        case "persistent_keepalive_interval": current.persistentKeepalive = try number(key, value)
        case "protocol_version": current.protocolVersion = try number(key, value)
        default:
            do {
                current.allowedIPs.append(try IPNetwork(text(value)))
            } catch {
                throw invalid(key, value)
            }
        }
    }

    private mutating func finishPeer() {
        guard var finished = peer else { return }
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
        peer = nil
        handshakeSeconds = 0
        handshakeNanoseconds = 0
    }

    // MARK: values

    private func text(_ value: UnsafeRawBufferPointer) -> String { String(decoding: value, as: UTF8.self) }

    private func number<T: FixedWidthInteger>(_ key: String, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> T {
        guard !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let number = T(text(value))
        else { throw invalid(key, value) }
        return number
    }

    private func endpoint(_ key: String, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> Endpoint {
        let string = text(value)
        if let parsed = try? Endpoint(string) { return parsed }
        // A zone naming an interface this namespace lacks still tells us the address and port.
        if let percent = string.firstIndex(of: "%"), let close = string.firstIndex(of: "]"), percent < close,
           let parsed = try? Endpoint(String(string[..<percent] + string[close...])) {
            return parsed
        }
        throw invalid(key, value)
    }

    private func publicKey(_ key: String, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> WireGuardKey {
        var raw = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let ok = withUnsafeMutableBytes(of: &raw) { Self.decodeHex(value, into: $0) }
        guard ok else { throw invalid(key, value) }
        return withUnsafeBytes(of: raw) { WireGuardKey(unsafeBytes: $0) }
    }

    private func secretKey(_ key: String, _ value: UnsafeRawBufferPointer) throws(WireGuardError) -> SecretKey {
        var ok = false
        let secret = SecretKey { ok = Self.decodeHex(value, into: $0) }
        // Never echo a secret, even a malformed one.
        guard ok else { throw malformed("'\(key)' is not 64 hex characters") }
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

    private func invalid(_ key: String, _ value: UnsafeRawBufferPointer) -> WireGuardError {
        malformed("'\(key)=\(Self.printable(value))' has an invalid value")
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
