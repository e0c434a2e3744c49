/// Who installed a route or rule (`rtm_protocol` / `FRA_PROTOCOL`); the kernel stores it and never acts on it.
public struct RouteProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte the kernel stores.
    public var rawValue: UInt8
    /// Creates a protocol value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `RTPROT_UNSPEC`: not given.
    public static let unspecified = RouteProtocol(rawValue: 0)
    /// `RTPROT_KERNEL`: added by the kernel (prefix routes, default rules).
    public static let kernel = RouteProtocol(rawValue: 2)
    /// `RTPROT_BOOT`: the default for `ip route add`.
    public static let boot = RouteProtocol(rawValue: 3)
    /// `RTPROT_STATIC`: added by an administrator.
    public static let `static` = RouteProtocol(rawValue: 4)

    /// Our own mark, 119 (ASCII `w`), so listings can tell wgmesh's routes from everyone else's.
    ///
    /// Chosen because it is not in `<linux/rtnetlink.h>`, `/etc/iproute2/rt_protos` (which ends at 99 openr
    /// below 186), and not used by the daemons we are likely to share a node with: Calico's felix uses 80,
    /// monogon's clusternet 129, BIRD 12, keepalived 18, DHCP clients 16. Add `119 wgmesh` to
    /// `/etc/iproute2/rt_protos.d/wgmesh.conf` to make `ip route` print the name.
    public static let wgmesh = RouteProtocol(rawValue: 119)

    public var description: String {
        switch self {
        case .unspecified: "unspec"
        case .kernel: "kernel"
        case .boot: "boot"
        case .static: "static"
        case .wgmesh: "wgmesh"
        default: "\(rawValue)"
        }
    }
}
