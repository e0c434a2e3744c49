import WGMeshCore
internal import WGMeshNetlink

// Attributes from <linux/if_link.h> and <linux/veth.h> that only these
// requests use; kept beside them so RTNetlinkConstants.swift stays as it was.
extension IFLA {
    static let address: UInt16 = 1
    static let infoData: UInt16 = 2
    static let netNamespaceFD: UInt16 = 28
    /// `VETH_INFO_PEER`: the peer's `ifinfomsg` followed by its IFLA_* attributes.
    static let vethInfoPeer: UInt16 = 1
}

// Veth, namespace, rename and MAC requests, shaped like iproute2's.
extension Link {
    /// `ip link add NAME [address MAC] [mtu M] type veth peer name PEER [mtu M] [netns NS]`, in one
    /// RTM_NEWLINK (CREATE|EXCL), so the pair never exists half-made or with the peer in the wrong place.
    static func vethRequest(name: InterfaceName, mac: MACAddress?, mtu: UInt32?, peer: InterfaceName,
                            peerNamespaceFD: Int32?) -> NetlinkMessageBuilder
    {
        var message = NetlinkMessageBuilder(type: RTM.newLink, flags: NLMFlag.create | NLMFlag.exclusive)
        message.appendFixedHeader(InterfaceInfoHeader())
        message.put(IFLA.ifname, string: name.rawValue)
        if let mtu { message.put(IFLA.mtu, u32: mtu) }
        if let mac { mac.bytes.withUnsafeBytes { _ = message.put(IFLA.address, bytes: $0) } }
        if let info = message.beginNest(IFLA.linkInfo) {
            var kind = "veth"
            kind.withUTF8 { message.put(IFLA.infoKind, bytes: UnsafeRawBufferPointer($0)) }
            if let data = message.beginNest(IFLA.infoData), let peerInfo = message.beginNest(IFLA.vethInfoPeer) {
                message.appendFixedHeader(InterfaceInfoHeader())
                message.put(IFLA.ifname, string: peer.rawValue)
                if let mtu { message.put(IFLA.mtu, u32: mtu) }
                if let peerNamespaceFD { message.put(IFLA.netNamespaceFD, u32: UInt32(bitPattern: peerNamespaceFD)) }
                message.endNest(peerInfo)
                message.endNest(data)
            }
            message.endNest(info)
        }
        return message
    }

    /// `ip link set dev X netns NS`: RTM_NEWLINK by index with IFLA_NET_NS_FD.
    static func moveRequest(index: UInt32, namespaceFD: Int32) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newLink, flags: 0)
        message.appendFixedHeader(InterfaceInfoHeader(index: Int32(bitPattern: index)))
        message.put(IFLA.netNamespaceFD, u32: UInt32(bitPattern: namespaceFD))
        return message
    }

    /// `ip link set dev X name Y`: RTM_NEWLINK by index with the new IFLA_IFNAME.
    static func renameRequest(index: UInt32, to name: InterfaceName) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newLink, flags: 0)
        message.appendFixedHeader(InterfaceInfoHeader(index: Int32(bitPattern: index)))
        message.put(IFLA.ifname, string: name.rawValue)
        return message
    }

    /// `ip link set dev X address MAC`: RTM_NEWLINK by index with IFLA_ADDRESS.
    static func macRequest(index: UInt32, mac: MACAddress) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newLink, flags: 0)
        message.appendFixedHeader(InterfaceInfoHeader(index: Int32(bitPattern: index)))
        mac.bytes.withUnsafeBytes { _ = message.put(IFLA.address, bytes: $0) }
        return message
    }
}
