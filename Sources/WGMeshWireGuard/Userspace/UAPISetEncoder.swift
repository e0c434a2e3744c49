import WGMeshCore
import Glibc

/// Turns a ``DeviceConfig`` into one UAPI `set=1` request, streamed in chunks.
///
/// wireguard-go applies each line as it reads it, so writing in 64 KiB chunks lets it work
/// while we encode the rest; a 10,000-peer set never sits in memory as one string.
struct UAPISetEncoder {
    /// Bytes buffered before a flush.
    static let chunkSize = 64 * 1024

    private var buffer: [UInt8] = []
    /// Whether the buffer has held a private or preshared key since the last wipe.
    private var holdsSecret = false
    private let flush: (UnsafeRawBufferPointer) throws(WireGuardError) -> Bool
    /// False once the receiver closed its end; the rest of the request is dropped.
    private(set) var receiverOpen = true

    /// Creates an encoder that hands each full chunk to `flush` (false: the receiver closed).
    init(flush: @escaping (UnsafeRawBufferPointer) throws(WireGuardError) -> Bool) {
        self.flush = flush
        buffer.reserveCapacity(Self.chunkSize + 512)
    }

    /// Refuses what the implementation cannot do before anything is sent, so a failed set changes nothing.
    static func check(_ config: DeviceConfig, device: String) throws(WireGuardError) {
        // Peer keys are not checked: wireguard-go, like the kernel, takes any 32 bytes (low-order
        // points included) and wg(8) passes them on.
        if config.peers.contains(where: { !$0.remove && !$0.removedAllowedIPs.isEmpty }) {
            throw WireGuardError(
                .unsupportedByImplementation, device: device, errno: EINVAL,
                "Unable to modify interface \(device): this userspace WireGuard cannot remove a single allowed IP (allowed_ip=-CIDR); replace the peer's allowed IPs instead")
        }
    }

    /// Encodes the whole request, ending with the blank line, and flushes it.
    mutating func encode(_ config: DeviceConfig) throws(WireGuardError) {
        append("set=1\n")
        if let key = config.privateKey { appendSecret("private_key=", key) }
        if let port = config.listenPort { line("listen_port=", port) }
        if let mark = config.fwmark { line("fwmark=", mark) }
        if config.replacePeers { append("replace_peers=true\n") }
        for peer in config.peers {
            try encode(peer)
            guard receiverOpen else { return }
        }
        append("\n")
        try send()
    }

    private mutating func encode(_ peer: PeerConfig) throws(WireGuardError) {
        append("public_key=")
        peer.publicKey.withUnsafeBytes { appendHex($0) }
        append("\n")
        if peer.remove {
            append("remove=true\n")
        } else {
            // update_only first: wireguard-go drops a just-created peer when it sees it.
            if peer.updateOnly { append("update_only=true\n") }
            if let psk = peer.presharedKey { appendSecret("preshared_key=", psk) }
            if let endpoint = peer.endpoint { append("endpoint="); endpoint.appendText(to: &buffer); append("\n") }
            if let keepalive = peer.persistentKeepalive { line("persistent_keepalive_interval=", keepalive) }
            if peer.replaceAllowedIPs { append("replace_allowed_ips=true\n") }
            for network in peer.allowedIPs {
                append("allowed_ip=")
                // Straight into the buffer: a String per network was a third of a setconf.
                network.appendText(to: &buffer)
                append("\n")
                // Flush inside long lists too, so the buffer never regrows and leaves a copy behind.
                if buffer.count >= Self.chunkSize {
                    try send()
                    guard receiverOpen else { return }
                }
            }
        }
        if buffer.count >= Self.chunkSize { try send() }
    }

    private mutating func send() throws(WireGuardError) {
        guard receiverOpen, !buffer.isEmpty else { return }
        // withUnsafeBytes only rethrows untyped errors, so carry the typed one out in a Result.
        let result = buffer.withUnsafeBytes { bytes in
            Result { () throws(WireGuardError) in try flush(bytes) }
        }
        receiverOpen = try result.get()
        wipe()
    }

    /// Zeroes the buffer if a secret passed through it, so no key lingers in freed memory.
    mutating func wipe() {
        if holdsSecret, !buffer.isEmpty {
            buffer.withUnsafeMutableBytes { explicit_bzero($0.baseAddress!, $0.count) }
            holdsSecret = false
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ text: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    private mutating func line(_ key: StaticString, _ value: some FixedWidthInteger) {
        append(key)
        TextBytes.appendDecimal(value, to: &buffer)
        append("\n")
    }

    private mutating func appendSecret(_ key: StaticString, _ secret: SecretKey) {
        append(key)
        holdsSecret = true
        // Hex straight into the buffer: the secret never becomes a String.
        secret.withUnsafeBytes { appendHex($0) }
        append("\n")
    }

    private mutating func appendHex(_ bytes: UnsafeRawBufferPointer) {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        // Through a stack buffer, then one append: per-byte appends each
        // checked the array's uniqueness, a tenth of a 10,000-peer setconf.
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { out in
            var offset = 0
            for chunk in stride(from: 0, to: bytes.count, by: out.count / 2) {
                let end = min(chunk + out.count / 2, bytes.count)
                for index in chunk..<end {
                    out[(index - chunk) * 2] = table[Int(bytes[index] >> 4)]
                    out[(index - chunk) * 2 + 1] = table[Int(bytes[index] & 15)]
                }
                offset = (end - chunk) * 2
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[0..<offset]))
            }
            explicit_bzero(out.baseAddress!, out.count)
        }
    }
}
