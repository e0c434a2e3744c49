import Glibc

/// A failed netlink exchange: the operation, the errno and what the kernel said.
///
/// Modelled on mdlayher/netlink's `OpError`: the kernel's extended-ack message
/// (`NLMSGERR_ATTR_MSG`) often names the exact problem, so it is kept.
public struct NetlinkError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A stable name for logs and tests.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The kernel answered the request with an error (`errno` says which).
        public static let kernel = Code("kernel error")
        /// A system call (socket, bind, send, receive) failed.
        public static let system = Code("system error")
        /// A reply or attribute did not follow the netlink layout.
        public static let malformed = Code("malformed message")
        /// A reply or attribute was shorter than its type needs.
        public static let truncated = Code("truncated message")
        /// A dump kept being interrupted by concurrent changes and never came back consistent.
        public static let interrupted = Code("dump interrupted")
    }

    /// What kind of failure this is.
    public var code: Code
    /// What we were doing, e.g. "get device wg0".
    public var operation: String
    /// The errno, positive; 0 when there is none (a malformed reply).
    public var errno: Int32
    /// The kernel's extended-ack message, when it sent one.
    public var extendedAck: String?
    /// The byte offset in our request of the attribute the kernel rejected, when it said.
    public var extendedAckOffset: UInt32?
    /// Extra detail for malformed replies: which field was wrong.
    public var detail: String?

    /// Creates an error.
    public init(
        _ code: Code, operation: String, errno: Int32 = 0, extendedAck: String? = nil,
        extendedAckOffset: UInt32? = nil, detail: String? = nil
    ) {
        self.code = code
        self.operation = operation
        self.errno = errno
        self.extendedAck = extendedAck
        self.extendedAckOffset = extendedAckOffset
        self.detail = detail
    }

    /// The C library's text for ``errno``, e.g. "No such device".
    public var errnoDescription: String {
        guard errno != 0, let text = strerror(errno) else { return "" }
        return String(cString: text)
    }

    public var description: String {
        var text = "\(operation): "
        switch code {
        case .malformed, .truncated:
            text += "the kernel's reply could not be parsed (\(detail ?? code.name)); this is a wgmesh bug, please report it"
        case .interrupted:
            text += "the kernel kept changing while we read it; retry"
        default:
            text += errno == 0 ? code.name : "\(errnoDescription) (errno \(errno))"
        }
        if let extendedAck { text += "; kernel says: \(extendedAck)" }
        if let extendedAckOffset { text += " (at byte \(extendedAckOffset) of the request)" }
        return text
    }
}
