extension IPAddress.Family {
    /// The family for a Linux `AF_INET` or `AF_INET6` value; nil for any other.
    public init?(addressFamily: UInt16) {
        switch addressFamily {
        case IPAddress.Family.v4.addressFamily: self = .v4
        case IPAddress.Family.v6.addressFamily: self = .v6
        default: return nil
        }
    }
}
