/// The `nlmsghdr.nlmsg_flags` bits, spelled out so callers need not import C.
///
/// Values from `<linux/netlink.h>`; the request/ack/dump bits are added by
/// ``NetlinkSocket`` itself, so callers pass only the modifiers.
public enum NetlinkFlags {
    /// `NLM_F_REQUEST`: every message we send is a request.
    public static let request: UInt16 = 0x1
    /// `NLM_F_MULTI`: one part of a multipart reply.
    public static let multi: UInt16 = 0x2
    /// `NLM_F_ACK`: ask for an acknowledgement.
    public static let ack: UInt16 = 0x4
    /// `NLM_F_DUMP_INTR`: the dump was interrupted by a change and is inconsistent.
    public static let dumpInterrupted: UInt16 = 0x10
    /// `NLM_F_DUMP` (ROOT | MATCH): return every object.
    public static let dump: UInt16 = 0x300
    /// `NLM_F_REPLACE`: replace an existing object.
    public static let replace: UInt16 = 0x100
    /// `NLM_F_EXCL`: fail if the object exists.
    public static let exclusive: UInt16 = 0x200
    /// `NLM_F_CREATE`: create the object if it does not exist.
    public static let create: UInt16 = 0x400
    /// `NLM_F_APPEND`: add to the end of a list.
    public static let append: UInt16 = 0x800
    /// `NLM_F_CAPPED` on an error reply: the original request was not echoed.
    public static let capped: UInt16 = 0x100
    /// `NLM_F_ACK_TLVS` on an error or done reply: extended-ack attributes follow.
    public static let ackTLVs: UInt16 = 0x200
}

/// The control message types every netlink protocol shares.
public enum NetlinkMessageType {
    /// `NLMSG_NOOP`: ignored.
    public static let noop: UInt16 = 1
    /// `NLMSG_ERROR`: an error, or with error 0 an acknowledgement.
    public static let error: UInt16 = 2
    /// `NLMSG_DONE`: the end of a dump.
    public static let done: UInt16 = 3
    /// `NLMSG_OVERRUN`: data was lost.
    public static let overrun: UInt16 = 4
}
