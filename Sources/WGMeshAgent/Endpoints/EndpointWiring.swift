import WGMeshCore
import WGMeshRouting

/// The kernel half of an endpoint: the veth pair, the pod side's addresses
/// and routes, and the host side's routes and proxy ARP.
///
/// The pod's gateway is a fixed link-local address that nobody holds: the
/// host veth answers ARP for it (proxy_arp) and, for IPv6, is the gateway by
/// its own link-local address. So every pod on every node is set up alike.
struct EndpointWiring {
    /// The IPv4 gateway pods route through; answered by the host veth's proxy ARP.
    static let gatewayIPv4 = try! IPAddress("169.254.1.1")

    /// The host-side veth.
    let hostInterface: InterfaceName
    /// The pod-side veth.
    let containerInterface: InterfaceName
    /// The pod's addresses, at most one per family.
    let addresses: [IPAddress]
    /// The MTU of both ends.
    let mtu: UInt32

    /// Makes the pair in `namespace` and configures both sides. Returns
    /// normally only when all is done; on failure the pair, if made, is
    /// deleted again (its routes go with it) and the error is rethrown.
    func wire(into namespace: NetworkNamespace) throws {
        let host = try RoutingClient()
        try host.createVethPair(named: hostInterface, mac: .hostVeth, mtu: mtu, peer: containerInterface,
                                in: namespace)
        do {
            try configurePod(try RoutingClient(networkNamespace: namespace))
            try configureHost(host)
        } catch {
            // Deleting one end deletes the other, in the pod's netns too.
            try? host.deleteLink(named: hostInterface)
            throw error
        }
    }

    /// Deletes the host veth (and so its peer and routes); false when it was not there.
    static func unwire(hostInterface: InterfaceName) throws -> Bool {
        let host = try RoutingClient()
        do {
            try host.deleteLink(named: hostInterface)
            return true
        } catch let error where error.code == .noSuchLink {
            return false
        }
    }

    private func configurePod(_ pod: RoutingClient) throws {
        try pod.setLink(named: "lo", up: true)
        try pod.setLink(named: containerInterface, up: true)
        let index = try pod.link(named: containerInterface).index
        for address in addresses {
            try pod.addAddress(try hostNetwork(address), to: containerInterface, skippingDAD: address.family == .v6)
        }
        if addresses.contains(where: { $0.family == .v4 }) {
            let gateway = try IPNetwork(address: Self.gatewayIPv4, prefixLength: 32)
            try pod.replaceRoute(Route(destination: gateway, table: Route.mainTable, outputInterface: index,
                                       protocol: .boot, scope: .link))
            try pod.replaceRoute(Route(destination: try IPNetwork("0.0.0.0/0"), table: Route.mainTable,
                                       outputInterface: index, gateway: Self.gatewayIPv4, protocol: .boot))
        }
        if addresses.contains(where: { $0.family == .v6 }) {
            let gateway = try IPAddress(MACAddress.hostVeth.linkLocalIPv6)
            try pod.replaceRoute(Route(destination: try IPNetwork("::/0"), table: Route.mainTable,
                                       outputInterface: index, gateway: gateway, protocol: .boot,
                                       metric: Route.ipv6DefaultMetric))
        }
    }

    private func configureHost(_ host: RoutingClient) throws {
        if addresses.contains(where: { $0.family == .v4 }) {
            try Sysctl.write(["net", "ipv4", "conf", hostInterface.rawValue, "proxy_arp"], "1")
        }
        try host.setLink(named: hostInterface, up: true)
        let index = try host.link(named: hostInterface).index
        for address in addresses {
            // Replace: an address the datastore calls free may still have a
            // route left by an endpoint that was not cleaned up.
            try host.replaceRoute(Route(destination: try hostNetwork(address), table: Route.mainTable,
                                        outputInterface: index, protocol: .wgmesh,
                                        metric: address.family == .v6 ? Route.ipv6DefaultMetric : nil))
        }
    }

    private func hostNetwork(_ address: IPAddress) throws -> IPNetwork {
        try IPNetwork(address: address, prefixLength: address.family.bitCount)
    }
}
