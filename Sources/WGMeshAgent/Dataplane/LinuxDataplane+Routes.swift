import WGMeshCore
import WGMeshRouting

extension LinuxDataplane {
    /// Step 4 of an apply: exactly the plan's routes, among the routes of our
    /// table that carry ``RouteProtocol/wgmesh``.
    ///
    /// Missing or different routes are added or replaced in place (so a
    /// destination never goes without a route), then stale ones of ours are
    /// deleted. Routes of other protocols in the table are foreign: they are
    /// never deleted, and a planned route whose destination one of them holds
    /// is skipped with a warning rather than overwritten.
    func applyRoutes(_ planned: [PlannedRoute], outputInterface: UInt32, verify: Bool, _ routing: RoutingClient,
                     _ state: inout State, _ summary: inout ApplySummary) throws
    {
        let desired = planned.map { route(for: $0, outputInterface: outputInterface) }
        let actual: [Route]
        if !verify, let cached = state.routes {
            actual = cached
        } else {
            actual = try routing.routes(table: settings.routingTable, protocol: .wgmesh)
        }
        state.routes = nil
        let present = Set(actual)
        let ourSlots = Set(actual.map(RouteSlot.init))
        var applied: [Route] = []
        for route in desired {
            if present.contains(route) {
                applied.append(route)
                continue
            }
            if ourSlots.contains(RouteSlot(route)) {
                try routing.replaceRoute(route)
            } else {
                let added = try routing.succeeds(unless: .exists, { () throws(RoutingError) in try routing.addRoute(route) })
                if !added {
                    logger.warning("a route that wgmesh did not make holds this destination; left it alone",
                                   metadata: ["route.dst": "\(route.destination)", "table": "\(settings.routingTable)"])
                    continue
                }
            }
            applied.append(route)
            summary.routesAdded += 1
            logger.debug("set route", metadata: ["route.dst": "\(route.destination)", "route": "\(route)"])
        }
        let wanted = Set(desired)
        let desiredSlots = Set(desired.map(RouteSlot.init))
        // A route replaced in place shares its slot with a desired one: deleting it would delete the new one.
        for route in actual where !wanted.contains(route) && !desiredSlots.contains(RouteSlot(route)) {
            // A route already gone (deleted by hand) meets the goal too.
            _ = try routing.succeeds(unless: .notFound, { () throws(RoutingError) in try routing.deleteRoute(route) })
            summary.routesRemoved += 1
            logger.debug("deleted route", metadata: ["route.dst": "\(route.destination)", "route": "\(route)"])
        }
        state.routes = applied
    }

    /// The kernel route for a planned one, with the fields set as the kernel
    /// reads them back (IPv6 metric 1024, IPv4 device routes scope link), so
    /// comparing read-back routes with these finds no false difference.
    func route(for planned: PlannedRoute, outputInterface: UInt32) -> Route {
        let metric: UInt32? = planned.destination.address.family == .v6 ? Route.ipv6DefaultMetric : nil
        switch planned.action {
        case .wireGuard:
            return Route(destination: planned.destination, table: settings.routingTable, type: .unicast,
                         outputInterface: outputInterface, protocol: .wgmesh, metric: metric)
        case .throw:
            return Route(destination: planned.destination, table: settings.routingTable, type: .throw,
                         protocol: .wgmesh, metric: metric)
        }
    }
}

/// What makes two routes the same entry to the kernel: a replace overwrites,
/// and an add collides with, the route in the same table with the same
/// destination and metric.
struct RouteSlot: Hashable {
    var destination: IPNetwork
    var metric: UInt32

    init(_ route: Route) {
        destination = route.destination
        metric = route.metric ?? (route.family == .v6 ? Route.ipv6DefaultMetric : 0)
    }
}
