import WGMeshCore

extension IPPool {
    /// Checks the name, that the CIDR is a network address, and that blocks fit the pool.
    public func validate() throws(ResourceError) {
        try metadata.validate(for: Self.kind)
        try NetworkRules.checkMasked(spec.cidr, at: "spec.cidr")
        let bits = spec.cidr.address.family.bitCount
        let prefix = Int(spec.cidr.prefixLength)
        guard (prefix...bits).contains(spec.blockSize) else {
            throw ResourceError.field(.invalidField, "spec.blockSize",
                "\(spec.blockSize) does not fit the pool \(spec.cidr); use a value from \(prefix) to \(bits)")
        }
    }
}
