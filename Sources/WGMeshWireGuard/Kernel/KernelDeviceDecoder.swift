public import WGMeshCore
public import WGMeshNetlink

/// Turns the replies of one `WG_CMD_GET_DEVICE` dump into a ``WireGuardDevice``.
///
/// The kernel splits a device across messages; a peer whose allowed IPs do
/// not fit continues in the next message as an element with the same public
/// key and only `ALLOWEDIPS`. Comparing each element's key with the last peer
/// merges them in O(n) (wgctrl-go once did this quadratically and took seconds
/// for 20,000 peers).
public enum KernelDeviceDecoder {
    /// Decodes and merges the dump's replies; throws on malformed bytes.
    public static func decode(_ replies: [NetlinkReply]) throws(NetlinkError) -> WireGuardDevice {
        var device = WireGuardDevice(name: "")
        var peers: [WireGuardPeer] = []
        for reply in replies {
            var attributes = reply.attributes(afterHeaderOfSize: 4)
            while attributes.next() {
                switch attributes.type {
                case WireGuardNetlink.Device.ifindex: device.ifindex = attributes.u32()
                case WireGuardNetlink.Device.ifname: device.name = attributes.string()
                case WireGuardNetlink.Device.listenPort: device.listenPort = attributes.u16()
                case WireGuardNetlink.Device.fwmark: device.fwmark = attributes.u32()
                case WireGuardNetlink.Device.privateKey:
                    device.privateKey = try secret(attributes)
                case WireGuardNetlink.Device.publicKey:
                    device.publicKey = try key(attributes)
                case WireGuardNetlink.Device.peers:
                    var list = attributes.nested()
                    while list.nextElement() { try decodePeer(list.nested(), into: &peers) }
                default: break
                }
            }
            if let error = attributes.error { throw error }
        }
        device.peers = peers
        return device
    }

    private static func malformed(_ detail: String) -> NetlinkError {
        NetlinkError(.malformed, operation: "decode WireGuard device", detail: detail)
    }

    private static func key(_ attribute: AttributeDecoder) throws(NetlinkError) -> WireGuardKey {
        guard attribute.length == WireGuardNetlink.keyLength else {
            throw malformed("a key attribute has \(attribute.length) bytes")
        }
        return attribute.withUnsafePayload { WireGuardKey(unsafeBytes: $0) }
    }

    /// A secret key, or nil for all zeros (the kernel's "none").
    private static func secret(_ attribute: AttributeDecoder) throws(NetlinkError) -> SecretKey? {
        guard attribute.length == WireGuardNetlink.keyLength else {
            throw malformed("a key attribute has \(attribute.length) bytes")
        }
        let isZero = attribute.withUnsafePayload { $0.allSatisfy { $0 == 0 } }
        if isZero { return nil }
        return attribute.withUnsafePayload { source in SecretKey { $0.copyMemory(from: source) } }
    }

    private static func decodePeer(_ element: AttributeDecoder, into peers: inout [WireGuardPeer]) throws(NetlinkError) {
        var element = element
        var peer = WireGuardPeer(publicKey: .zero)
        var hasKey = false
        var allowedIPs: [IPNetwork] = []
        while element.next() {
            switch element.type {
            case WireGuardNetlink.Peer.publicKey:
                peer.publicKey = try key(element)
                hasKey = true
            case WireGuardNetlink.Peer.presharedKey: peer.presharedKey = try secret(element)
            case WireGuardNetlink.Peer.endpoint:
                peer.endpoint = element.withUnsafePayload { SocketAddress.read($0) }
            case WireGuardNetlink.Peer.persistentKeepalive: peer.persistentKeepalive = element.u16()
            case WireGuardNetlink.Peer.lastHandshakeTime:
                guard element.length >= 16 else { throw malformed("a handshake time has \(element.length) bytes") }
                let (seconds, nanoseconds) = element.withUnsafePayload {
                    ($0.loadUnaligned(as: Int64.self), $0.loadUnaligned(fromByteOffset: 8, as: Int64.self))
                }
                peer.lastHandshake = seconds == 0 && nanoseconds == 0
                    ? nil : Timestamp(seconds: seconds, nanoseconds: nanoseconds)
            case WireGuardNetlink.Peer.rxBytes: peer.rxBytes = element.u64()
            case WireGuardNetlink.Peer.txBytes: peer.txBytes = element.u64()
            case WireGuardNetlink.Peer.protocolVersion: peer.protocolVersion = element.u32()
            case WireGuardNetlink.Peer.allowedIPs:
                var list = element.nested()
                while list.nextElement() { allowedIPs.append(try decodeAllowedIP(list.nested())) }
            default: break
            }
        }
        guard hasKey else { throw malformed("a peer has no public key") }
        if let last = peers.indices.last, peers[last].publicKey == peer.publicKey {
            // A continuation: the same peer, more allowed IPs.
            peers[last].allowedIPs.append(contentsOf: allowedIPs)
        } else {
            peer.allowedIPs = allowedIPs
            peers.append(peer)
        }
    }

    private static func decodeAllowedIP(_ element: AttributeDecoder) throws(NetlinkError) -> IPNetwork {
        var element = element
        var family: UInt16 = 0
        var address: IPAddress?
        var prefix = -1
        while element.next() {
            switch element.type {
            case WireGuardNetlink.AllowedIP.family: family = element.u16()
            case WireGuardNetlink.AllowedIP.ipAddress:
                switch element.length {
                case 4: address = element.withUnsafePayload { IPAddress(family: .v4, unsafeBytes: $0) }
                case 16: address = element.withUnsafePayload { IPAddress(family: .v6, unsafeBytes: $0) }
                default: throw malformed("an allowed IP has a \(element.length)-byte address")
                }
            case WireGuardNetlink.AllowedIP.cidrMask: prefix = Int(element.u8())
            default: break
            }
        }
        guard let address, address.family.addressFamily == family,
              let network = try? IPNetwork(address: address, prefixLength: prefix)
        else { throw malformed("an allowed IP lacks a matching family, address or prefix length") }
        return network
    }
}
