import WGMeshCore
internal import WGMeshNetlink

// Address requests, shaped like the ones iproute2 sends (the tests hold the bytes).
extension InterfaceAddress {
    /// `ip addr add A/P dev X noprefixroute`: RTM_NEWADDR, CREATE|EXCL, IFA_LOCAL, IFA_FLAGS, IFA_ADDRESS.
    ///
    /// IFA_F_NOPREFIXROUTE keeps the kernel from adding `A/P dev X` to `main`:
    /// wgmesh puts its routes in its own table.
    static func addRequest(_ network: IPNetwork, interfaceIndex: UInt32) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newAddress, flags: NLMFlag.create | NLMFlag.exclusive)
        message.appendFixedHeader(header(network, interfaceIndex))
        message.put(IFA.local, address: network.address)
        message.put(IFA.flags, u32: IFA.noPrefixRoute)
        message.put(IFA.address, address: network.address)
        return message
    }

    /// `ip addr del A/P dev X`: RTM_DELADDR with IFA_LOCAL and IFA_ADDRESS.
    static func deleteRequest(_ network: IPNetwork, interfaceIndex: UInt32) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.delAddress, flags: 0)
        message.appendFixedHeader(header(network, interfaceIndex))
        message.put(IFA.local, address: network.address)
        message.put(IFA.address, address: network.address)
        return message
    }

    /// RTM_GETADDR dump; the kernel ignores the index here, so callers filter.
    static func dumpRequest() -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.getAddress, flags: 0)
        message.appendFixedHeader(AddressHeader())
        return message
    }

    private static func header(_ network: IPNetwork, _ index: UInt32) -> AddressHeader {
        AddressHeader(family: UInt8(network.address.family.addressFamily), prefixLength: network.prefixLength,
                      index: index)
    }

    /// Decodes an RTM_NEWADDR reply payload (after `nlmsghdr`).
    ///
    /// IFA_LOCAL is the interface's own address; IFA_ADDRESS is the same, or
    /// the peer on point-to-point links, so LOCAL wins when both are present.
    /// IPv6 replies carry only IFA_ADDRESS.
    init(netlinkPayload payload: ArraySlice<UInt8>) throws(RoutingError) {
        guard let header = payload.loadHeader(AddressHeader.self) else {
            throw RoutingError(.malformed, "an address reply of \(payload.count) bytes is shorter than ifaddrmsg")
        }
        var local: ArraySlice<UInt8>?
        var address: ArraySlice<UInt8>?
        var flags = UInt32(header.flags)
        var attributes = AttributeDecoder(payload.attributes(after: AddressHeader.self))
        while attributes.next() {
            switch attributes.type {
            case IFA.local: local = attributes.bytes()
            case IFA.address: address = attributes.bytes()
            case IFA.flags: flags = attributes.u32()
            default: continue
            }
        }
        if let error = attributes.error { throw RoutingError(error, operation: "decode address") }
        guard let bytes = local ?? address else {
            throw RoutingError(.malformed, "the kernel sent an address on link \(header.index) without IFA_ADDRESS")
        }
        do {
            let network = try IPNetwork(address: try IPAddress(networkBytes: bytes),
                                        prefixLength: Int(header.prefixLength))
            self.init(network: network, interfaceIndex: header.index, flags: flags,
                      scope: RouteScope(rawValue: header.scope))
        } catch {
            throw RoutingError(.malformed, "the kernel sent an unusable address on link \(header.index): \(error)")
        }
    }
}
