public import WGMeshCore
internal import WGMeshNetlink

extension RoutingClient {
    /// Assigns `network` (address and prefix length) to a link without a prefix route in `main`.
    public func addAddress(_ network: IPNetwork, to link: InterfaceName) throws(RoutingError) {
        try addAddress(network, toInterfaceIndex: try self.link(named: link).index)
    }

    /// Assigns `network` to the link with `index`, without a prefix route in `main`.
    public func addAddress(_ network: IPNetwork, toInterfaceIndex index: UInt32) throws(RoutingError) {
        try execute(InterfaceAddress.addRequest(network, interfaceIndex: index), "add address \(network) to link \(index)")
    }

    /// Removes `network` from a link.
    public func removeAddress(_ network: IPNetwork, from link: InterfaceName) throws(RoutingError) {
        try removeAddress(network, fromInterfaceIndex: try self.link(named: link).index)
    }

    /// Removes `network` from the link with `index`.
    public func removeAddress(_ network: IPNetwork, fromInterfaceIndex index: UInt32) throws(RoutingError) {
        try execute(InterfaceAddress.deleteRequest(network, interfaceIndex: index),
                    "remove address \(network) from link \(index)")
    }

    /// The addresses of one link, or of every link when `link` is nil, IPv4 first.
    public func addresses(on link: InterfaceName? = nil) throws(RoutingError) -> [InterfaceAddress] {
        let index = try link.map { name throws(RoutingError) in try self.link(named: name).index }
        var addresses: [InterfaceAddress] = []
        for reply in try dump(InterfaceAddress.dumpRequest(), keeping: RTM.newAddress, "list addresses") {
            let address = try InterfaceAddress(netlinkPayload: reply.payload[...])
            if index == nil || address.interfaceIndex == index { addresses.append(address) }
        }
        return addresses
    }
}
