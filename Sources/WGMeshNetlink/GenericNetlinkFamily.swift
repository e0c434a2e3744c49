/// `struct genlmsghdr`: the fixed header after `nlmsghdr` in every genetlink message.
public struct GenericNetlinkHeader: BitwiseCopyable, Sendable, Equatable {
    /// The family's command, e.g. `WG_CMD_GET_DEVICE`.
    public var command: UInt8
    /// The family's interface version.
    public var version: UInt8
    /// Always zero.
    public var reserved: UInt16 = 0

    /// Creates a header.
    public init(command: UInt8, version: UInt8) {
        self.command = command
        self.version = version
    }
}

/// Resolves generic netlink family names to the ids used as `nlmsg_type`.
public enum GenericNetlinkFamily {
    /// `GENL_ID_CTRL`: the controller family's fixed id.
    public static let controllerID: UInt16 = 0x10
    private static let getFamilyCommand: UInt8 = 3 // CTRL_CMD_GETFAMILY
    private static let familyIDAttribute: UInt16 = 1 // CTRL_ATTR_FAMILY_ID
    private static let familyNameAttribute: UInt16 = 2 // CTRL_ATTR_FAMILY_NAME

    /// The family's id, or nil when the kernel has no such family (ENOENT: module absent).
    public static func resolve(name: String, on socket: NetlinkSocket) throws(NetlinkError) -> UInt16? {
        var request = NetlinkMessageBuilder(type: controllerID, flags: 0)
        request.appendFixedHeader(GenericNetlinkHeader(command: getFamilyCommand, version: 1))
        request.put(familyNameAttribute, string: name)
        let replies: [NetlinkReply]
        do {
            replies = try socket.query(request, operation: "resolve generic netlink family \(name)")
        } catch where error.code == .kernel && error.errno == 2 /* ENOENT */ {
            return nil
        }
        for reply in replies {
            var attributes = reply.attributes(afterHeaderOfSize: 4)
            while attributes.next() {
                guard attributes.type == familyIDAttribute else { continue }
                let id = attributes.u16()
                if let error = attributes.error { throw error }
                return id
            }
            if let error = attributes.error { throw error }
        }
        throw NetlinkError(.malformed, operation: "resolve generic netlink family \(name)",
                           detail: "the reply has no CTRL_ATTR_FAMILY_ID")
    }
}
