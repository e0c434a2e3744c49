/// A failure to read or change links, addresses, routes or rules over rtnetlink.
///
/// The reason names the object and says what to do next, so the CLI can print
/// it as it is.
public struct RoutingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable name for tests and logs.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The kernel does not know the link kind (for WireGuard: no module loaded).
        public static let unsupportedLinkKind = Code("unsupported link kind")
        /// No link has the given name or index.
        public static let noSuchLink = Code("no such link")
        /// The link, address, route or rule already exists.
        public static let exists = Code("already exists")
        /// The address, route or rule to delete does not exist.
        public static let notFound = Code("not found")
        /// The caller lacks CAP_NET_ADMIN in this network namespace.
        public static let permission = Code("permission denied")
        /// The kernel refused the request for another reason.
        public static let kernel = Code("kernel error")
        /// A reply could not be parsed.
        public static let malformed = Code("malformed reply")
        /// Opening or using the netlink socket failed.
        public static let system = Code("system error")
    }

    /// What went wrong.
    public var code: Code
    /// The errno reported by the kernel or a system call, positive; 0 when none.
    public var errno: Int32
    /// A sentence for the operator: what happened and what to do.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, errno: Int32 = 0, _ reason: String) {
        self.code = code
        self.errno = errno
        self.reason = reason
    }

    public var description: String { reason }
}
