/// How far a route or address reaches (`rtm_scope` / `ifa_scope`).
public struct RouteScope: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte the kernel stores.
    public var rawValue: UInt8
    /// Creates a scope value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `RT_SCOPE_UNIVERSE`: routes via a gateway, throw routes, every IPv6 route.
    public static let universe = RouteScope(rawValue: 0)
    /// `RT_SCOPE_SITE`.
    public static let site = RouteScope(rawValue: 200)
    /// `RT_SCOPE_LINK`: destinations directly on the link, as IPv4 device routes are.
    public static let link = RouteScope(rawValue: 253)
    /// `RT_SCOPE_HOST`: this machine only.
    public static let host = RouteScope(rawValue: 254)
    /// `RT_SCOPE_NOWHERE`: matches any scope when deleting.
    public static let nowhere = RouteScope(rawValue: 255)

    public var description: String {
        switch self {
        case .universe: "global"
        case .site: "site"
        case .link: "link"
        case .host: "host"
        case .nowhere: "nowhere"
        default: "\(rawValue)"
        }
    }
}
