import WGMeshCore
import WGMeshRouting

extension LinuxDataplane {
    /// The one rule per family, following Calico: packets without the
    /// fwmark bit (everything but WireGuard's own UDP) look up our table.
    func rule(for family: IPAddress.Family) -> Rule {
        Rule(family: family, priority: settings.rulePriority, table: settings.routingTable, fwmark: settings.fwmark,
             fwmask: settings.fwmark, invert: true, protocol: .wgmesh)
    }

    /// Our rules of one family: tagged wgmesh and leading to our table,
    /// whatever their other fields (a stale priority or mark is still ours).
    func ourRules(_ family: IPAddress.Family, _ routing: RoutingClient) throws -> [Rule] {
        try routing.rules(family: family).filter { $0.protocol == .wgmesh && $0.table == settings.routingTable }
    }

    /// The first step of an apply: our rules of the families the plan no
    /// longer routes, before their routes go.
    func removeRules(keeping families: Set<IPAddress.Family>, _ routing: RoutingClient,
                     _ summary: inout ApplySummary) throws
    {
        for family in [IPAddress.Family.v4, .v6] where !families.contains(family) {
            for rule in try ourRules(family, routing) {
                try deleteRule(rule, routing)
                summary.otherChanges += 1
            }
        }
    }

    /// The last step of an apply: the rule of each family, compared field by
    /// field; a correct rule is never touched (deleting and re-adding it
    /// would leave a gap for packets). A wrong one of ours is replaced: the
    /// new one first, then the old.
    func addRules(_ families: Set<IPAddress.Family>, _ routing: RoutingClient, _ summary: inout ApplySummary) throws {
        for family in [IPAddress.Family.v4, .v6] where families.contains(family) {
            let desired = rule(for: family)
            let ours = try ourRules(family, routing)
            if !ours.contains(desired) {
                try routing.addRule(desired)
                summary.otherChanges += 1
                logger.info("added rule", metadata: ["rule": "\(desired)", "family": "\(desired.family)"])
            }
            for stale in ours where stale != desired {
                try deleteRule(stale, routing)
                summary.otherChanges += 1
            }
        }
    }

    /// Deletes one rule; one already gone is fine.
    func deleteRule(_ rule: Rule, _ routing: RoutingClient) throws {
        guard try routing.succeeds(unless: .notFound, { () throws(RoutingError) in try routing.deleteRule(rule) }) else { return }
        logger.info("deleted rule", metadata: ["rule": "\(rule)"])
    }
}
