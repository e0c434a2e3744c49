import WGMeshCore

extension WorkloadEndpoint {
    /// Checks name and namespace, the node, and that every address is a single host.
    public func validate() throws(ResourceError) {
        try metadata.validate(for: Self.kind)
        try NameRules.checkName(spec.node, at: "spec.node", what: "node name")
        if spec.ips.isEmpty {
            throw ResourceError.field(.missingField, "spec.ips", "an endpoint needs at least one address; add it")
        }
        for (position, network) in spec.ips.enumerated() {
            let host = network.address.family.bitCount
            guard Int(network.prefixLength) == host else {
                throw ResourceError.field(.invalidField, "spec.ips[\(position)]",
                    "\(network) is not a single address; use \(network.address)/\(host)")
            }
        }
        try NetworkRules.checkUnique(spec.ips, at: "spec.ips")
    }
}
