import WGMeshCore

extension BlockAffinity {
    /// Checks the node name, that the block is a network address, and that the
    /// record's name is the one derived from both (so two claims collide on the key).
    public func validate() throws(ResourceError) {
        try NameRules.checkName(spec.node, at: "spec.node", what: "node name")
        try NetworkRules.checkMasked(spec.cidr, at: "spec.cidr")
        let expected = Self.name(node: spec.node, cidr: spec.cidr)
        guard metadata.name == expected else {
            throw ResourceError.field(.invalidField, "metadata.name",
                "a claim on \(spec.cidr) by \(spec.node) must be named '\(expected)', not '\(metadata.name)'")
        }
        try metadata.validate(for: Self.kind)
    }
}
