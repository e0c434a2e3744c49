import WGMeshCore
internal import WGMeshNetlink

// Link requests, shaped like the ones iproute2 sends (the tests hold the bytes).
extension Link {
    /// `ip link add NAME type KIND`: RTM_NEWLINK, CREATE|EXCL, IFLA_IFNAME, IFLA_LINKINFO { IFLA_INFO_KIND }.
    ///
    /// Unlike iproute2 we mark IFLA_LINKINFO with NLA_F_NESTED, as the kernel's
    /// strict validation expects of new code; rtnetlink accepts both.
    static func createRequest(name: InterfaceName, kind: String) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newLink, flags: NLMFlag.create | NLMFlag.exclusive)
        message.appendFixedHeader(InterfaceInfoHeader())
        message.put(IFLA.ifname, string: name.rawValue)
        if let info = message.beginNest(IFLA.linkInfo) {
            // Without the NUL, as iproute2 sends it; IFLA_INFO_KIND is NLA_STRING, which takes either.
            var kind = kind
            kind.withUTF8 { message.put(IFLA.infoKind, bytes: UnsafeRawBufferPointer($0)) }
            message.endNest(info)
        }
        return message
    }

    /// `ip link del`: RTM_DELLINK by index.
    static func deleteRequest(index: UInt32) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.delLink, flags: 0)
        message.appendFixedHeader(InterfaceInfoHeader(index: Int32(bitPattern: index)))
        return message
    }

    /// `ip link set dev X [mtu M] [up|down]`: RTM_NEWLINK by index; `ifi_change` covers IFF_UP only when
    /// `up` is given, so other flags stay as they are.
    static func setRequest(index: UInt32, mtu: UInt32?, up: Bool?) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newLink, flags: 0)
        var header = InterfaceInfoHeader(index: Int32(bitPattern: index))
        if let up {
            header.flags = up ? IFLA.up : 0
            header.change = IFLA.up
        }
        message.appendFixedHeader(header)
        if let mtu { message.put(IFLA.mtu, u32: mtu) }
        return message
    }

    /// RTM_GETLINK for one name, skipping statistics (iproute2 also asks for VF info: RTEXT_FILTER_VF).
    static func getRequest(name: InterfaceName) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.getLink, flags: 0)
        message.appendFixedHeader(InterfaceInfoHeader())
        message.put(IFLA.extMask, u32: IFLA.skipStats)
        message.put(IFLA.ifname, string: name.rawValue)
        return message
    }

    /// RTM_GETLINK dump of every link, skipping statistics.
    static func dumpRequest() -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.getLink, flags: 0)
        message.appendFixedHeader(InterfaceInfoHeader())
        message.put(IFLA.extMask, u32: IFLA.skipStats)
        return message
    }

    /// Decodes an RTM_NEWLINK reply payload (after `nlmsghdr`).
    init(netlinkPayload payload: ArraySlice<UInt8>) throws(RoutingError) {
        guard let header = payload.loadHeader(InterfaceInfoHeader.self) else {
            throw RoutingError(.malformed, "a link reply of \(payload.count) bytes is shorter than ifinfomsg")
        }
        var name: String?
        var mtu: UInt32 = 0
        var kind: String?
        var attributes = AttributeDecoder(payload.attributes(after: InterfaceInfoHeader.self))
        while attributes.next() {
            switch attributes.type {
            case IFLA.ifname: name = attributes.string()
            case IFLA.mtu: mtu = attributes.u32()
            case IFLA.linkInfo:
                var info = attributes.nested()
                while info.next() {
                    if info.type == IFLA.infoKind { kind = info.string() }
                }
            default: continue
            }
        }
        if let error = attributes.error { throw RoutingError(error, operation: "decode link") }
        guard let name else {
            throw RoutingError(.malformed, "the kernel sent link \(header.index) without a name")
        }
        self.init(name: name, index: UInt32(bitPattern: header.index), kind: kind, mtu: mtu,
                  isUp: header.flags & IFLA.up != 0)
    }
}
