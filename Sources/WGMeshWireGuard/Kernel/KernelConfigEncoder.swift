public import WGMeshCore
public import WGMeshNetlink

/// Splits a ``DeviceConfig`` into `WG_CMD_SET_DEVICE` messages that each fit a size limit.
///
/// Rules (wireguard-tools' `kernel_set_device`, plus wgctrl-go's UPDATE_ONLY):
/// - every message names the device (IFNAME);
/// - only the first carries PRIVATE_KEY, LISTEN_PORT, FWMARK and REPLACE_PEERS;
/// - a peer's first fragment carries PSK, ENDPOINT, KEEPALIVE and REPLACE_ALLOWEDIPS;
/// - a peer whose allowed IPs overflow continues in the next message with its
///   key, UPDATE_ONLY (so a peer removed meanwhile is not re-created) and the
///   remaining IPs; a removed peer carries REMOVE_ME in every fragment;
/// - a peer that does not fit before its IP list starts moves whole to the next message.
/// Attribute order follows `wg`, and like `wg` every array element has type 0
/// (the kernel ignores it), so small changes encode byte for byte as `wg set` does.
public enum KernelConfigEncoder {
    /// Builds the messages for `config` on `device`; at least one, even for an empty change.
    public static func messages(
        for config: DeviceConfig, device: String, familyID: UInt16, sizeLimit: Int
    ) -> [NetlinkMessageBuilder] {
        precondition(sizeLimit >= 1024, "a SET_DEVICE message needs room for at least one peer")
        var messages: [NetlinkMessageBuilder] = []
        var peerIndex = 0
        var ipCursor = 0
        repeat {
            var message = NetlinkMessageBuilder(type: familyID, flags: 0, sizeLimit: sizeLimit)
            message.appendFixedHeader(
                GenericNetlinkHeader(command: WireGuardNetlink.Command.setDevice, version: WireGuardNetlink.version))
            message.put(WireGuardNetlink.Device.ifname, string: device)
            let isFirst = messages.isEmpty
            if isFirst { putDeviceFields(config, into: &message) }
            if peerIndex < config.peers.count {
                let beforePeers = message.count
                guard let peersNest = message.beginNest(WireGuardNetlink.Device.peers) else {
                    preconditionFailure("size limit leaves no room for peers")
                }
                var placed = 0
                while peerIndex < config.peers.count {
                    let peer = config.peers[peerIndex]
                    let outcome = putPeer(peer, ipCursor: &ipCursor, into: &message)
                    if outcome == .none { break }
                    placed += 1
                    if outcome == .partial { break }
                    peerIndex += 1
                    ipCursor = 0
                }
                if placed == 0 {
                    // Only possible after the device fields filled the first message.
                    precondition(isFirst, "size limit too small for a single peer")
                    message.cancel(to: beforePeers)
                } else {
                    message.endNest(peersNest)
                }
            }
            messages.append(message)
        } while peerIndex < config.peers.count
        return messages
    }

    private static func putDeviceFields(_ config: DeviceConfig, into message: inout NetlinkMessageBuilder) {
        if let privateKey = config.privateKey {
            privateKey.withUnsafeBytes { _ = message.put(WireGuardNetlink.Device.privateKey, bytes: $0) }
        }
        if let port = config.listenPort { message.put(WireGuardNetlink.Device.listenPort, u16: port) }
        if let fwmark = config.fwmark { message.put(WireGuardNetlink.Device.fwmark, u32: fwmark) }
        if config.replacePeers {
            message.put(WireGuardNetlink.Device.flags, u32: WireGuardNetlink.Device.replacePeersFlag)
        }
    }

    enum PeerOutcome { case none, partial, complete }

    /// Appends one peer element from `ipCursor`; `.partial` when its IPs continue in the next message.
    static func putPeer(
        _ peer: PeerConfig, ipCursor: inout Int, into message: inout NetlinkMessageBuilder
    ) -> PeerOutcome {
        let mark = message.count
        let continuing = ipCursor > 0
        guard let nest = message.beginNest(0), putPeerHeader(peer, continuing: continuing, into: &message) else {
            message.cancel(to: mark)
            return .none
        }
        let total = peer.remove ? 0 : peer.removedAllowedIPs.count + peer.allowedIPs.count
        if ipCursor < total {
            let start = ipCursor
            guard let ipsNest = message.beginNest(WireGuardNetlink.Peer.allowedIPs) else {
                message.cancel(to: mark)
                return .none
            }
            while ipCursor < total {
                // Removals first, so "remove X, add X" in one change ends with X present.
                let removing = ipCursor < peer.removedAllowedIPs.count
                let network = removing
                    ? peer.removedAllowedIPs[ipCursor] : peer.allowedIPs[ipCursor - peer.removedAllowedIPs.count]
                guard putAllowedIP(network, removing: removing, into: &message) else { break }
                ipCursor += 1
            }
            if ipCursor == start {
                // Not one IP fit: send the whole peer in the next message instead.
                ipCursor = start
                message.cancel(to: mark)
                return .none
            }
            message.endNest(ipsNest)
        }
        message.endNest(nest)
        return ipCursor < total ? .partial : .complete
    }

    private static func putPeerHeader(
        _ peer: PeerConfig, continuing: Bool, into message: inout NetlinkMessageBuilder
    ) -> Bool {
        guard peer.publicKey.withUnsafeBytes({ message.put(WireGuardNetlink.Peer.publicKey, bytes: $0) }) else {
            return false
        }
        var flags: UInt32 = 0
        if peer.remove {
            flags = WireGuardNetlink.Peer.removeFlag
        } else if continuing {
            flags = WireGuardNetlink.Peer.updateOnlyFlag
        } else {
            if peer.replaceAllowedIPs { flags |= WireGuardNetlink.Peer.replaceAllowedIPsFlag }
            if peer.updateOnly { flags |= WireGuardNetlink.Peer.updateOnlyFlag }
            if let psk = peer.presharedKey,
               !psk.withUnsafeBytes({ message.put(WireGuardNetlink.Peer.presharedKey, bytes: $0) }) {
                return false
            }
            if let endpoint = peer.endpoint, !putEndpoint(endpoint, into: &message) { return false }
            if let keepalive = peer.persistentKeepalive,
               !message.put(WireGuardNetlink.Peer.persistentKeepalive, u16: keepalive) {
                return false
            }
        }
        if flags != 0, !message.put(WireGuardNetlink.Peer.flags, u32: flags) { return false }
        return true
    }

    private static func putEndpoint(_ endpoint: Endpoint, into message: inout NetlinkMessageBuilder) -> Bool {
        // sockaddr_in6 is the larger of the two: 28 bytes on the stack, no allocation.
        var storage: (UInt64, UInt64, UInt64, UInt32) = (0, 0, 0, 0)
        let size = SocketAddress.size(of: endpoint)
        return withUnsafeMutableBytes(of: &storage) { raw in
            let out = UnsafeMutableRawBufferPointer(rebasing: raw[0..<size])
            SocketAddress.write(endpoint, into: out)
            return message.put(WireGuardNetlink.Peer.endpoint, bytes: UnsafeRawBufferPointer(out))
        }
    }

    private static func putAllowedIP(
        _ network: IPNetwork, removing: Bool, into message: inout NetlinkMessageBuilder
    ) -> Bool {
        let mark = message.count
        guard let nest = message.beginNest(0),
              message.put(WireGuardNetlink.AllowedIP.family, u16: network.address.family.addressFamily),
              network.address.withUnsafeBytes({ message.put(WireGuardNetlink.AllowedIP.ipAddress, bytes: $0) }),
              message.put(WireGuardNetlink.AllowedIP.cidrMask, u8: network.prefixLength),
              !removing || message.put(WireGuardNetlink.AllowedIP.flags, u32: WireGuardNetlink.AllowedIP.removeFlag)
        else {
            message.cancel(to: mark)
            return false
        }
        message.endNest(nest)
        return true
    }
}
