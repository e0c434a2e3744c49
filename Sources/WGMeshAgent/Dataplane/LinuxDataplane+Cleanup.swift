import WGMeshCore
import WGMeshRouting
import WGMeshWireGuard

extension LinuxDataplane {
    public func cleanup() throws -> [String] {
        try state.withLock { state throws -> [String] in
            state.dropCaches()
            var removed: [String] = []
            let routing = try step("opening rtnetlink") { try RoutingClient() }
            // Rules first: once they are gone no packet is steered into the table being emptied.
            try step("removing rules") {
                for family in [IPAddress.Family.v4, .v6] {
                    for rule in try ourRules(family, routing) {
                        try deleteRule(rule, routing)
                        removed.append("removed rule \(rule)")
                    }
                }
            }
            try step("removing routes from table \(settings.routingTable)") {
                for route in try routing.routes(table: settings.routingTable, protocol: .wgmesh) {
                    guard try routing.succeeds(unless: .notFound, { () throws(RoutingError) in try routing.deleteRoute(route) })
                    else { continue }
                    removed.append("removed route \(route.type == .throw ? "throw " : "")\(route.destination) table \(settings.routingTable)")
                }
            }
            if let line = try step("removing \(settings.interfaceName)", { try removeInterface(routing) }) {
                removed.append(line)
            }
            if let peerFile, try peerFile.remove() { removed.append("removed \(peerFile.path)") }
            state.ownedPeers = []
            for line in removed { logger.info("\(line)") }
            return removed
        }
    }

    /// Empties and deletes the interface when it is a WireGuard one; nil when
    /// there is none. Any implementation is looked for, whatever the settings
    /// prefer, so a cleanup also finds an interface made with other settings.
    private func removeInterface(_ routing: RoutingClient) throws -> String? {
        let name = settings.interfaceName
        guard let link = try routing.linkIfPresent(named: name) else { return nil }
        let client = WireGuardClient(preference: .auto)
        guard let device = try? client.device(named: name.rawValue) else {
            logger.warning("left the interface alone: it is not a WireGuard interface", metadata: ["link": "\(link)"])
            return nil
        }
        // The kernel frees peers one by one when a device goes: emptying it first is much faster.
        if !device.peers.isEmpty {
            try client.configure(device: name.rawValue, with: DeviceConfig(replacePeers: true))
        }
        try client.deleteInterface(name)
        let kind = link.kind == "wireguard" ? "kernel" : "wireguard-go"
        return "removed interface \(name) (\(kind), \(device.peers.count) peers)"
    }
}
