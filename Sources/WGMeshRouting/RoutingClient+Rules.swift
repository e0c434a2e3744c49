public import WGMeshCore
internal import WGMeshNetlink

extension RoutingClient {
    /// Adds a policy rule; throws ``RoutingError/Code/exists`` when an identical rule is there.
    public func addRule(_ rule: Rule) throws(RoutingError) {
        try execute(rule.addRequest(), "add rule \(rule)")
    }

    /// Deletes the rule matching every field of `rule`; throws ``RoutingError/Code/notFound`` when none does.
    public func deleteRule(_ rule: Rule) throws(RoutingError) {
        try execute(rule.deleteRequest(), "delete rule \(rule)")
    }

    /// The rules of one family, or of both (IPv4 first) when `family` is nil, in priority order.
    public func rules(family: IPAddress.Family? = nil) throws(RoutingError) -> [Rule] {
        var rules: [Rule] = []
        for family in family.map({ [$0] }) ?? [.v4, .v6] {
            for reply in try dump(Rule.dumpRequest(family: family), keeping: RTM.newRule, "list \(family) rules") {
                rules.append(try Rule(netlinkPayload: reply.payload[...]))
            }
        }
        return rules
    }
}
