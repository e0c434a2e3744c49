public import WGMeshCore
internal import WGMeshNetlink

extension RoutingClient {
    /// Adds a route; throws ``RoutingError/Code/exists`` when the table already has one for the destination.
    public func addRoute(_ route: Route) throws(RoutingError) {
        try execute(route.newRequest(replace: false), "add route \(route)")
    }

    /// Adds a route, or replaces the one the table has for the same destination (and metric).
    public func replaceRoute(_ route: Route) throws(RoutingError) {
        try execute(route.newRequest(replace: true), "replace route \(route)")
    }

    /// Deletes a route; throws ``RoutingError/Code/notFound`` when no route matches.
    public func deleteRoute(_ route: Route) throws(RoutingError) {
        try execute(route.deleteRequest(), "delete route \(route)")
    }

    /// The configured routes (no cache entries), optionally only one table, owner and family.
    public func routes(table: UInt32? = nil, protocol owner: RouteProtocol? = nil,
                       family: IPAddress.Family? = nil) throws(RoutingError) -> [Route] {
        var routes: [Route] = []
        let replies = try dump(Route.dumpRequest(family: family), keeping: RTM.newRoute, "list routes")
        for reply in replies where Route.isConfiguredIPRoute(netlinkPayload: reply.payload[...]) {
            let route = try Route(netlinkPayload: reply.payload[...])
            if let table, route.table != table { continue }
            if let owner, route.protocol != owner { continue }
            if let family, route.family != family { continue }
            routes.append(route)
        }
        return routes
    }
}
