public import WGMeshCore

/// The `wg showconf` text: a configuration file that `setconf` reads back,
/// byte for byte as wg prints it. It holds the private key on purpose.
public enum WGConfFormatter {
    /// The whole file for `device`, peers in the device's order.
    public static func format(_ device: WireGuardDevice) -> String {
        var out = "[Interface]\n"
        if device.listenPort != 0 { out += "ListenPort = \(device.listenPort)\n" }
        if device.fwmark != 0 { out += "FwMark = 0x" + String(device.fwmark, radix: 16) + "\n" }
        if let key = device.privateKey { out += "PrivateKey = " + key.base64EncodedSecret() + "\n" }
        out += "\n"
        for (index, peer) in device.peers.enumerated() {
            out += "[Peer]\nPublicKey = " + peer.publicKey.base64 + "\n"
            if let psk = peer.presharedKey, !psk.isZero { out += "PresharedKey = " + psk.base64EncodedSecret() + "\n" }
            if !peer.allowedIPs.isEmpty {
                out += "AllowedIPs = " + peer.allowedIPs.map(\.description).joined(separator: ", ") + "\n"
            }
            if let endpoint = peer.endpoint { out += "Endpoint = \(endpoint)\n" }
            if peer.persistentKeepalive != 0 { out += "PersistentKeepalive = \(peer.persistentKeepalive)\n" }
            if index != device.peers.count - 1 { out += "\n" }
        }
        return out
    }
}
