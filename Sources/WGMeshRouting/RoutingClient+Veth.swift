public import WGMeshCore
internal import WGMeshNetlink

extension RoutingClient {
    /// Creates a veth pair in one request: `name` here, with `mac` and `mtu`,
    /// and `peer` (same MTU) directly in `peerNamespace` (nil: here too).
    /// Both ends start down.
    ///
    /// Throws ``RoutingError/Code/exists`` when either name is taken (on its side).
    public func createVethPair(named name: InterfaceName, mac: MACAddress? = nil, mtu: UInt32? = nil,
                               peer: InterfaceName, in peerNamespace: NetworkNamespace? = nil) throws(RoutingError)
    {
        let request = Link.vethRequest(name: name, mac: mac, mtu: mtu, peer: peer,
                                       peerNamespaceFD: peerNamespace?.descriptor)
        let place = peerNamespace.map { " in \($0.path)" } ?? ""
        do {
            try execute(request, "create veth pair \(name)/\(peer)\(place)")
        } catch let error where error.code == .exists {
            throw RoutingError(.exists, errno: error.errno,
                               "cannot create veth \(name) with peer \(peer)\(place): one of the names is already "
                                   + "taken; delete the old link first (`ip link del \(name)`)")
        }
    }

    /// Moves a link into another network namespace (`ip link set NAME netns NS`); it arrives down.
    public func moveLink(named name: InterfaceName, to namespace: NetworkNamespace) throws(RoutingError) {
        let index = try link(named: name).index
        try execute(Link.moveRequest(index: index, namespaceFD: namespace.descriptor),
                    "move link \(name) to \(namespace.path)")
    }

    /// Renames a link (`ip link set NAME name NEW`); the kernel refuses while it is up.
    public func renameLink(named name: InterfaceName, to newName: InterfaceName) throws(RoutingError) {
        let index = try link(named: name).index
        try execute(Link.renameRequest(index: index, to: newName), "rename link \(name) to \(newName)")
    }

    /// Sets a link's hardware address (`ip link set NAME address MAC`).
    public func setLinkMAC(named name: InterfaceName, _ mac: MACAddress) throws(RoutingError) {
        let index = try link(named: name).index
        try execute(Link.macRequest(index: index, mac: mac), "set address \(mac) on link \(name)")
    }

    /// Assigns a host address to a link, optionally skipping IPv6 duplicate
    /// address detection (`nodad`), so the address works at once instead of
    /// after a second or more of tentative state. No prefix route is added.
    public func addAddress(_ network: IPNetwork, to link: InterfaceName, skippingDAD: Bool) throws(RoutingError) {
        let index = try self.link(named: link).index
        var message = InterfaceAddress.addRequest(network, interfaceIndex: index)
        if skippingDAD {
            // Rebuilt rather than patched: IFA_FLAGS sits in the middle of addRequest's message.
            message = NetlinkMessageBuilder(type: RTM.newAddress, flags: NLMFlag.create | NLMFlag.exclusive)
            message.appendFixedHeader(AddressHeader(family: UInt8(network.address.family.addressFamily),
                                                    prefixLength: network.prefixLength, flags: Self.noDAD,
                                                    index: index))
            message.put(IFA.local, address: network.address)
            message.put(IFA.flags, u32: IFA.noPrefixRoute | UInt32(Self.noDAD))
            message.put(IFA.address, address: network.address)
        }
        try execute(message, "add address \(network) to \(link)")
    }

    /// `IFA_F_NODAD`.
    private static let noDAD: UInt8 = 0x02
}
