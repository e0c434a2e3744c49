extension EncryptionConfig {
    /// The MTUs an IPv6-capable interface can have.
    public static let mtuRange = 1280...65535

    /// Checks the name (`default`), the MTU and the port.
    public func validate() throws(ResourceError) {
        try metadata.validate(for: Self.kind)
        guard metadata.name == Self.requiredName else {
            throw ResourceError.field(.invalidField, "metadata.name",
                "the encryption configuration must be named '\(Self.requiredName)', not '\(metadata.name)'; rename it")
        }
        if let mtu = spec.mtu, !Self.mtuRange.contains(mtu) {
            throw ResourceError.field(.invalidField, "spec.mtu",
                "\(mtu) is out of range; use \(Self.mtuRange.lowerBound) to \(Self.mtuRange.upperBound), or leave it out to derive it")
        }
        if spec.listenPort == 0 {
            throw ResourceError.field(.invalidField, "spec.listenPort", "0 is not a port peers can reach; use e.g. 51820")
        }
    }
}
