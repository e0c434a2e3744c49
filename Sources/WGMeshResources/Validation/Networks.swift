public import WGMeshCore

/// Rules shared by the kinds that hold CIDRs.
enum NetworkRules {
    /// Refuses a network with host bits set, naming the masked form to use instead.
    static func checkMasked(_ network: IPNetwork, at path: String) throws(ResourceError) {
        let masked = network.masked
        guard masked == network else {
            throw ResourceError.field(.invalidField, path,
                                      "\(network) has host bits set; use \(masked)")
        }
    }

    /// Refuses duplicates in a list, naming the repeated entry.
    static func checkUnique<T: Hashable & CustomStringConvertible>(_ items: [T], at path: String) throws(ResourceError) {
        var seen = Set<T>()
        for (position, item) in items.enumerated() where !seen.insert(item).inserted {
            throw ResourceError.field(.invalidField, "\(path)[\(position)]", "\(item) is listed twice; keep one")
        }
    }
}
