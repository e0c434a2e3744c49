/// What a route does with matching packets (`rtm_type`).
public struct RouteType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte the kernel stores.
    public var rawValue: UInt8
    /// Creates a route type value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `RTN_UNICAST`: forward through the output interface or gateway.
    public static let unicast = RouteType(rawValue: 1)
    /// `RTN_LOCAL`: delivered to this host (the `local` table).
    public static let local = RouteType(rawValue: 2)
    /// `RTN_BROADCAST`.
    public static let broadcast = RouteType(rawValue: 3)
    /// `RTN_BLACKHOLE`: dropped silently.
    public static let blackhole = RouteType(rawValue: 6)
    /// `RTN_UNREACHABLE`: dropped with an ICMP unreachable.
    public static let unreachable = RouteType(rawValue: 7)
    /// `RTN_PROHIBIT`: dropped with an ICMP prohibited.
    public static let prohibit = RouteType(rawValue: 8)
    /// `RTN_THROW`: stop looking in this table and continue with the next rule.
    public static let `throw` = RouteType(rawValue: 9)

    public var description: String {
        switch self {
        case .unicast: "unicast"
        case .local: "local"
        case .broadcast: "broadcast"
        case .blackhole: "blackhole"
        case .unreachable: "unreachable"
        case .prohibit: "prohibit"
        case .throw: "throw"
        default: "type \(rawValue)"
        }
    }
}
