public import WGMeshCore
import WGMeshRouting

extension LinuxDataplane {
    public func underlay(configured: [IPAddress]) throws -> Underlay {
        let routing = try step("opening rtnetlink") { try RoutingClient() }
        let (addresses, links) = try step("listing addresses") { try (routing.addresses(), routing.links()) }
        var byIndex: [UInt32: Link] = [:]
        for link in links { byIndex[link.index] = link }

        if !configured.isEmpty {
            var first: Link?
            for address in configured {
                guard let local = addresses.first(where: { $0.network.address == address }),
                      let link = byIndex[local.interfaceIndex]
                else {
                    throw AgentError(.hostNetwork,
                                     "\(address) is not an address of this machine: pass an address shown by `ip addr` with --address, or leave it out to use the default route's")
                }
                if first == nil { first = link }
            }
            return Underlay(addresses: configured, linkName: first!.name, mtu: Int(first!.mtu))
        }

        let link = try step("reading the default route") { () throws -> Link? in
            try defaultRouteLink(routing, byIndex)
        }
        guard let link else {
            throw AgentError(.hostNetwork, "no default route: pass --address with this node's underlay address")
        }
        let global = addresses.filter { $0.interfaceIndex == link.index && !Self.isLinkLocal($0) }
        let found = [global.first { $0.network.address.family == .v4 }, global.first { $0.network.address.family == .v6 }]
            .compactMap { $0?.network.address }
        guard !found.isEmpty else {
            throw AgentError(.hostNetwork,
                             "\(link.name) holds the default route but has no global address: pass --address with this node's underlay address")
        }
        logger.info("found the underlay on the default route's link",
                    metadata: ["link": "\(link.name)", "addresses": "\(found)"])
        return Underlay(addresses: found, linkName: link.name, mtu: Int(link.mtu))
    }

    /// The link of the main table's default route with the lowest metric:
    /// IPv4 first, IPv6 when there is no IPv4 one.
    private func defaultRouteLink(_ routing: RoutingClient, _ links: [UInt32: Link]) throws -> Link? {
        for family in [IPAddress.Family.v4, .v6] {
            let defaults = try routing.routes(table: Route.mainTable, family: family).filter {
                $0.destination.prefixLength == 0 && $0.type == .unicast && $0.outputInterface != nil
            }
            let best = defaults.min { ($0.metric ?? 0) < ($1.metric ?? 0) }
            if let index = best?.outputInterface, let link = links[index] { return link }
        }
        return nil
    }
}
