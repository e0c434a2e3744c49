import WGMeshCore
import WGMeshRouting

extension LinuxDataplane {
    /// Step 2 of an apply: exactly the plan's addresses on the interface.
    ///
    /// The interface is wgmesh's, so other global addresses on it go; IPv6
    /// link-local addresses stay, the kernel manages those. New addresses are
    /// added before stale ones leave, and never get a prefix route.
    func applyAddresses(_ desired: [IPNetwork], _ routing: RoutingClient, _ summary: inout ApplySummary) throws {
        let link = try routing.link(named: settings.interfaceName)
        let present = try routing.addresses(on: settings.interfaceName)
        for network in desired where !present.contains(where: { $0.network == network }) {
            try routing.addAddress(network, toInterfaceIndex: link.index)
            summary.otherChanges += 1
            logger.info("added address", metadata: ["address": "\(network)"])
        }
        let wanted = Set(desired)
        for address in present where !wanted.contains(address.network) && !Self.isLinkLocal(address) {
            try routing.removeAddress(address.network, fromInterfaceIndex: link.index)
            summary.otherChanges += 1
            logger.info("removed address", metadata: ["address": "\(address.network)"])
        }
    }

    /// Step 3 of an apply: the plan's MTU, and the link up. Returns the link,
    /// whose index the routes need.
    func applyLink(mtu: Int, _ routing: RoutingClient, _ summary: inout ApplySummary) throws -> Link {
        let link = try routing.link(named: settings.interfaceName)
        let newMTU: UInt32? = link.mtu == UInt32(mtu) ? nil : UInt32(mtu)
        let up: Bool? = link.isUp ? nil : true
        guard newMTU != nil || up != nil else { return link }
        try routing.setLink(named: settings.interfaceName, mtu: newMTU, up: up)
        summary.otherChanges += 1
        logger.info("set link", metadata: ["mtu": "\(mtu)", "was": "\(link)"])
        return try routing.link(named: settings.interfaceName)
    }

    /// Whether the kernel owns `address`: link scope, or in fe80::/10.
    static func isLinkLocal(_ address: InterfaceAddress) -> Bool {
        if address.scope == .link || address.scope == .host { return true }
        let bytes = address.network.address.networkBytes
        return address.network.address.family == .v6 && bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
    }
}
