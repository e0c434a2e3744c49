extension WireGuardError.Code {
    /// Two desired peers list the same allowed IP, which can route to one peer only.
    public static let duplicateAllowedIP = Self("allowed IP on two peers")
    /// Two desired peers share one public key.
    public static let duplicatePeer = Self("duplicate peer")
    /// A desired peer has the device's own public key, which WireGuard silently ignores.
    public static let peerIsDevice = Self("peer has the device's key")
}
