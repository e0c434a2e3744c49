// Swift copies of the fixed headers that follow nlmsghdr in rtnetlink
// messages. Each quotes its C definition; the tests check sizes and field
// offsets against the captured iproute2 bytes, which keeps the two in step.
// All fields are host byte order.

/// `struct ifinfomsg` (16 bytes): `unsigned char ifi_family, __ifi_pad; unsigned short ifi_type;
/// int ifi_index; unsigned ifi_flags, ifi_change;`
struct InterfaceInfoHeader: BitwiseCopyable {
    var family: UInt8 = 0
    var pad: UInt8 = 0
    var type: UInt16 = 0
    var index: Int32 = 0
    var flags: UInt32 = 0
    var change: UInt32 = 0
}

/// `struct ifaddrmsg` (8 bytes): `__u8 ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; __u32 ifa_index;`
struct AddressHeader: BitwiseCopyable {
    var family: UInt8 = 0
    var prefixLength: UInt8 = 0
    var flags: UInt8 = 0
    var scope: UInt8 = 0
    var index: UInt32 = 0
}

/// `struct rtmsg` (12 bytes): `unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table,
/// rtm_protocol, rtm_scope, rtm_type; unsigned rtm_flags;`
struct RouteHeader: BitwiseCopyable {
    var family: UInt8 = 0
    var destinationLength: UInt8 = 0
    var sourceLength: UInt8 = 0
    var tos: UInt8 = 0
    var table: UInt8 = 0
    var `protocol`: UInt8 = 0
    var scope: UInt8 = 0
    var type: UInt8 = 0
    var flags: UInt32 = 0
}

/// `struct fib_rule_hdr` (12 bytes): `__u8 family, dst_len, src_len, tos, table, res1, res2, action;
/// __u32 flags;`
struct RuleHeader: BitwiseCopyable {
    var family: UInt8 = 0
    var destinationLength: UInt8 = 0
    var sourceLength: UInt8 = 0
    var tos: UInt8 = 0
    var table: UInt8 = 0
    var reserved1: UInt8 = 0
    var reserved2: UInt8 = 0
    var action: UInt8 = 0
    var flags: UInt32 = 0
}

extension ArraySlice<UInt8> {
    /// The fixed header at the start of a reply payload, or nil when the payload is too short.
    func loadHeader<Header: BitwiseCopyable>(_: Header.Type) -> Header? {
        guard count >= MemoryLayout<Header>.size else { return nil }
        return withUnsafeBytes { $0.loadUnaligned(as: Header.self) }
    }

    /// The attributes after a fixed header of `Header`'s size.
    func attributes<Header: BitwiseCopyable>(after _: Header.Type) -> ArraySlice<UInt8> {
        self[Swift.min(endIndex, startIndex + MemoryLayout<Header>.size)...]
    }
}
