public import WGMeshCore

/// The `wg showconf` text: a configuration file that `setconf` reads back,
/// byte for byte as wg prints it. It holds the private key on purpose.
public enum WGConfFormatter {
    /// The whole file for `device`, peers in the device's order.
    public static func format(_ device: WireGuardDevice) -> String {
        String(decoding: formatBytes(device), as: UTF8.self)
    }

    /// The same file as UTF-8 bytes, built in one buffer: 10,000 peers make
    /// 50,000 lines, and a String per field was most of showconf's time.
    public static func formatBytes(_ device: WireGuardDevice) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + device.peers.count * 160)
        out.append(contentsOf: "[Interface]\n".utf8)
        if device.listenPort != 0 {
            out.append(contentsOf: "ListenPort = ".utf8)
            TextBytes.appendDecimal(UInt64(device.listenPort), to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        if device.fwmark != 0 { out.append(contentsOf: "FwMark = 0x\(String(device.fwmark, radix: 16))\n".utf8) }
        if let key = device.privateKey { out.append(contentsOf: "PrivateKey = \(key.base64EncodedSecret())\n".utf8) }
        out.append(UInt8(ascii: "\n"))
        for (index, peer) in device.peers.enumerated() {
            out.append(contentsOf: "[Peer]\nPublicKey = ".utf8)
            peer.publicKey.appendBase64(to: &out)
            out.append(UInt8(ascii: "\n"))
            if let psk = peer.presharedKey, !psk.isZero {
                out.append(contentsOf: "PresharedKey = \(psk.base64EncodedSecret())\n".utf8)
            }
            if !peer.allowedIPs.isEmpty {
                out.append(contentsOf: "AllowedIPs = ".utf8)
                for (ipIndex, network) in peer.allowedIPs.enumerated() {
                    if ipIndex > 0 { out.append(contentsOf: ", ".utf8) }
                    network.appendText(to: &out)
                }
                out.append(UInt8(ascii: "\n"))
            }
            if let endpoint = peer.endpoint {
                out.append(contentsOf: "Endpoint = ".utf8)
                endpoint.appendText(to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            if peer.persistentKeepalive != 0 {
                out.append(contentsOf: "PersistentKeepalive = ".utf8)
                TextBytes.appendDecimal(UInt64(peer.persistentKeepalive), to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            if index != device.peers.count - 1 { out.append(UInt8(ascii: "\n")) }
        }
        return out
    }
}
