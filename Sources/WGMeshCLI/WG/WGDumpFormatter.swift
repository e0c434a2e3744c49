public import WGMeshCore

/// The machine-readable `wg show` outputs: `dump` and the single fields,
/// tab-separated exactly as wg prints them, peers in the device's order.
public enum WGDumpFormatter {
    /// The field names `wg show IFACE <field>` accepts.
    public static let fields: [String] = [
        "public-key", "private-key", "listen-port", "fwmark", "peers", "preshared-keys", "endpoints",
        "allowed-ips", "latest-handshakes", "transfer", "persistent-keepalive", "dump",
    ]

    /// The text for `field`, each line prefixed with the device name and a tab
    /// when `withInterface` (as `wg show all <field>` does); nil for an unknown field.
    public static func format(_ device: WireGuardDevice, field: String, withInterface: Bool) -> String? {
        let prefix = withInterface ? device.name + "\t" : ""
        func perPeer(_ line: (WireGuardPeer) -> String) -> String {
            device.peers.map { prefix + $0.publicKey.base64 + "\t" + line($0) + "\n" }.joined()
        }
        switch field {
        case "public-key": return prefix + (device.publicKey?.base64 ?? "(none)") + "\n"
        case "private-key": return prefix + (device.privateKey?.base64EncodedSecret() ?? "(none)") + "\n"
        case "listen-port": return prefix + "\(device.listenPort)\n"
        case "fwmark": return prefix + fwmark(device.fwmark) + "\n"
        case "peers": return device.peers.map { prefix + $0.publicKey.base64 + "\n" }.joined()
        case "preshared-keys": return perPeer { presharedKey($0) }
        case "endpoints":
            // wg 1.0.20210914 (Debian 12's) prints the device name once, before
            // the first peer, not on every line; we print what it prints.
            return prefix + device.peers.map { $0.publicKey.base64 + "\t" + ($0.endpoint?.description ?? "(none)") + "\n" }.joined()
        case "allowed-ips": return perPeer { allowedIPs($0, separator: " ") }
        case "latest-handshakes": return perPeer { "\(handshake($0))" }
        case "transfer": return perPeer { "\($0.rxBytes)\t\($0.txBytes)" }
        case "persistent-keepalive": return perPeer { keepalive($0) }
        case "dump": return dump(device, prefix: prefix)
        default: return nil
        }
    }

    /// Built in one byte buffer: a 10,000-peer dump is 10,000 lines of nine fields.
    private static func dump(_ device: WireGuardDevice, prefix: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128 + device.peers.count * (prefix.utf8.count + 180))
        out.append(contentsOf: prefix.utf8)
        out.append(contentsOf: (device.privateKey?.base64EncodedSecret() ?? "(none)").utf8)
        out.append(UInt8(ascii: "\t"))
        if let key = device.publicKey { key.appendBase64(to: &out) } else { out.append(contentsOf: "(none)".utf8) }
        out.append(UInt8(ascii: "\t"))
        TextBytes.appendDecimal(UInt64(device.listenPort), to: &out)
        out.append(contentsOf: "\t\(fwmark(device.fwmark))\n".utf8)
        for peer in device.peers {
            out.append(contentsOf: prefix.utf8)
            peer.publicKey.appendBase64(to: &out)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: presharedKey(peer).utf8)
            out.append(UInt8(ascii: "\t"))
            if let endpoint = peer.endpoint { endpoint.appendText(to: &out) } else { out.append(contentsOf: "(none)".utf8) }
            out.append(UInt8(ascii: "\t"))
            if peer.allowedIPs.isEmpty { out.append(contentsOf: "(none)".utf8) }
            for (index, network) in peer.allowedIPs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                network.appendText(to: &out)
            }
            out.append(UInt8(ascii: "\t"))
            TextBytes.appendDecimal(handshake(peer), to: &out)
            out.append(UInt8(ascii: "\t"))
            TextBytes.appendDecimal(peer.rxBytes, to: &out)
            out.append(UInt8(ascii: "\t"))
            TextBytes.appendDecimal(peer.txBytes, to: &out)
            out.append(UInt8(ascii: "\t"))
            if peer.persistentKeepalive == 0 {
                out.append(contentsOf: "off".utf8)
            } else {
                TextBytes.appendDecimal(UInt64(peer.persistentKeepalive), to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func fwmark(_ mark: UInt32) -> String { mark == 0 ? "off" : "0x" + String(mark, radix: 16) }

    private static func presharedKey(_ peer: WireGuardPeer) -> String {
        guard let psk = peer.presharedKey, !psk.isZero else { return "(none)" }
        return psk.base64EncodedSecret()
    }

    private static func allowedIPs(_ peer: WireGuardPeer, separator: String) -> String {
        peer.allowedIPs.isEmpty ? "(none)" : peer.allowedIPs.map(\.description).joined(separator: separator)
    }

    private static func handshake(_ peer: WireGuardPeer) -> Int64 { peer.lastHandshake?.seconds ?? 0 }

    private static func keepalive(_ peer: WireGuardPeer) -> String {
        peer.persistentKeepalive == 0 ? "off" : "\(peer.persistentKeepalive)"
    }
}
