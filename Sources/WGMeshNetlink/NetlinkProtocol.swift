/// Which netlink protocol a ``NetlinkSocket`` speaks.
public enum NetlinkProtocol: Sendable {
    /// `NETLINK_ROUTE` (0): links, addresses, routes and rules.
    case route
    /// `NETLINK_GENERIC` (16): families such as `wireguard`, resolved by name.
    case generic

    /// The protocol number passed to `socket(AF_NETLINK, SOCK_RAW, ...)`.
    public var rawValue: Int32 {
        switch self {
        case .route: 0
        case .generic: 16
        }
    }
}
