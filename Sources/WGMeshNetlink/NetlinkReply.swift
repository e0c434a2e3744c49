/// One message received: header fields plus the payload after nlmsghdr.
public struct NetlinkReply: Sendable, Equatable {
    /// `nlmsg_type`: the rtnetlink type or genetlink family id.
    public let type: UInt16
    /// `nlmsg_flags`, e.g. ``NetlinkFlags/multi``.
    public let flags: UInt16
    /// Everything after the 16-byte `nlmsghdr`.
    public let payload: [UInt8]

    /// Creates a reply; tests use this to feed raw bytes to decoders.
    public init(type: UInt16, flags: UInt16, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.payload = payload
    }

    /// A decoder over the attributes that follow a fixed header of `headerSize` bytes (4 for genetlink).
    public func attributes(afterHeaderOfSize headerSize: Int) -> AttributeDecoder {
        let start = Swift.min(NetlinkMessageBuilder.aligned(headerSize), payload.count)
        return AttributeDecoder(payload[start...])
    }
}
