// Numbers from <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h> and
// <linux/fib_rules.h>. They are spelled out here because this module does not
// import the C headers (only WGMeshNetlink owns libmnl); the unit tests check
// each encoder against bytes iproute2 sent, which pins these values.

/// rtnetlink message types (`RTM_*`).
enum RTM {
    static let newLink: UInt16 = 16
    static let delLink: UInt16 = 17
    static let getLink: UInt16 = 18
    static let newAddress: UInt16 = 20
    static let delAddress: UInt16 = 21
    static let getAddress: UInt16 = 22
    static let newRoute: UInt16 = 24
    static let delRoute: UInt16 = 25
    static let getRoute: UInt16 = 26
    static let newRule: UInt16 = 32
    static let delRule: UInt16 = 33
    static let getRule: UInt16 = 34
}

/// Netlink request modifiers (`NLM_F_*`) for new objects; the socket adds REQUEST, ACK and DUMP itself.
enum NLMFlag {
    static let replace: UInt16 = 0x100
    static let exclusive: UInt16 = 0x200
    static let create: UInt16 = 0x400
}

/// Link attributes (`IFLA_*`) and link-info attributes (`IFLA_INFO_*`).
enum IFLA {
    static let ifname: UInt16 = 3
    static let mtu: UInt16 = 4
    static let linkInfo: UInt16 = 18
    static let extMask: UInt16 = 29
    static let infoKind: UInt16 = 1
    /// `RTEXT_FILTER_SKIP_STATS`: leave the 200-byte counters out of link replies.
    static let skipStats: UInt32 = 8
    /// `IFF_UP`.
    static let up: UInt32 = 1
}

/// Address attributes (`IFA_*`) and flags (`IFA_F_*`).
enum IFA {
    static let address: UInt16 = 1
    static let local: UInt16 = 2
    static let flags: UInt16 = 8
    /// `IFA_F_NOPREFIXROUTE`: do not add the prefix route to `main`.
    static let noPrefixRoute: UInt32 = 0x200
}

/// Route attributes (`RTA_*`) and `rtm_flags` bits.
enum RTA {
    static let dst: UInt16 = 1
    static let oif: UInt16 = 4
    static let gateway: UInt16 = 5
    static let priority: UInt16 = 6
    static let table: UInt16 = 15
    /// `RTM_F_CLONED`: a cache entry, not a configured route.
    static let clonedFlag: UInt32 = 0x200
    /// `RT_TABLE_UNSPEC`: the header's table when RTA_TABLE carries it.
    static let tableUnspec: UInt8 = 0
}

/// Rule attributes (`FRA_*`) and flags.
enum FRA {
    static let dst: UInt16 = 1
    static let src: UInt16 = 2
    static let iifname: UInt16 = 3
    static let goto: UInt16 = 4
    static let priority: UInt16 = 6
    static let fwmark: UInt16 = 10
    static let flow: UInt16 = 11
    static let tunID: UInt16 = 12
    static let suppressIfGroup: UInt16 = 13
    static let suppressPrefixLength: UInt16 = 14
    static let table: UInt16 = 15
    static let fwmask: UInt16 = 16
    static let oifname: UInt16 = 17
    static let l3mdev: UInt16 = 19
    static let uidRange: UInt16 = 20
    static let `protocol`: UInt16 = 21
    static let ipProto: UInt16 = 22
    static let sportRange: UInt16 = 23
    static let dportRange: UInt16 = 24
    /// `FIB_RULE_INVERT`.
    static let invertFlag: UInt32 = 0x2
    /// The kernel's "unset" suppress_prefixlength (-1 as u32).
    static let unsetSuppress: UInt32 = 0xFFFF_FFFF
}
