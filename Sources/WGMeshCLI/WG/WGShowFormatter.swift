public import WGMeshCore

/// The human-readable `wg show` text for one device, byte for byte as wg
/// prints it (plain when the style is off, wg's colours when on).
public struct WGShowFormatter: Sendable {
    /// Colours, or none.
    public var style: WGTerminalStyle
    /// Print private and preshared keys instead of "(hidden)" (`WG_HIDE_KEYS=never`).
    public var showSecrets: Bool
    /// The current time in seconds since the epoch, for "N seconds ago".
    public var now: Int64

    /// Creates a formatter.
    public init(style: WGTerminalStyle, showSecrets: Bool, now: Int64) {
        self.style = style
        self.showSecrets = showSecrets
        self.now = now
    }

    /// The device section, ending with a newline.
    public func format(_ device: WireGuardDevice) -> String {
        let s = style
        var out = s.reset
        out += "\(s.green)\(s.bold)interface\(s.reset): \(s.green)\(device.name)\(s.reset)\n"
        if let key = device.publicKey { out += field("public key", key.base64) }
        if let key = device.privateKey { out += field("private key", secret(key)) }
        if device.listenPort != 0 { out += field("listening port", "\(device.listenPort)") }
        if device.fwmark != 0 { out += field("fwmark", "0x" + String(device.fwmark, radix: 16)) }
        let peers = Self.sortedForDisplay(device.peers)
        if !peers.isEmpty { out += "\n" }
        for (index, peer) in peers.enumerated() {
            out += "\(s.yellow)\(s.bold)peer\(s.reset): \(s.yellow)\(peer.publicKey.base64)\(s.reset)\n"
            if let psk = peer.presharedKey, !psk.isZero { out += field("preshared key", secret(psk)) }
            if let endpoint = peer.endpoint { out += field("endpoint", endpoint.description) }
            let ips = peer.allowedIPs.map { "\($0.address)\(s.cyan)/\(s.reset)\($0.prefixLength)" }
            out += field("allowed ips", ips.isEmpty ? "(none)" : ips.joined(separator: ", "))
            if let handshake = peer.lastHandshake, handshake.seconds != 0 {
                out += field("latest handshake", WGUnits.ago(handshake, now: now, style: s))
            }
            if peer.rxBytes != 0 || peer.txBytes != 0 {
                let received = WGUnits.bytes(peer.rxBytes, style: s)
                let sent = WGUnits.bytes(peer.txBytes, style: s)
                out += field("transfer", "\(received) received, \(sent) sent")
            }
            if peer.persistentKeepalive != 0 {
                out += field("persistent keepalive", "every " + WGUnits.duration(UInt64(peer.persistentKeepalive), style: s))
            }
            if index != peers.count - 1 { out += "\n" }
        }
        return out
    }

    private func field(_ name: String, _ value: String) -> String {
        "  \(style.bold)\(name)\(style.reset): \(value)\n"
    }

    private func secret(_ key: SecretKey) -> String { showSecrets ? key.base64EncodedSecret() : "(hidden)" }

    /// wg's order: most recent handshake first, peers that never shook hands
    /// last, ties kept in the device's order.
    public static func sortedForDisplay(_ peers: [WireGuardPeer]) -> [WireGuardPeer] {
        func time(_ peer: WireGuardPeer) -> Timestamp { peer.lastHandshake ?? Timestamp(seconds: 0) }
        let zero = Timestamp(seconds: 0)
        return peers.enumerated().sorted { a, b in
            let (ta, tb) = (time(a.element), time(b.element))
            if ta == zero, tb != zero { return false }
            if tb == zero, ta != zero { return true }
            if ta != tb { return ta > tb }
            return a.offset < b.offset
        }.map(\.element)
    }
}
