public import WGMeshCore

/// A failure to read or change a WireGuard device, from either backend.
///
/// Backends add their own codes in `WireGuardError+<Backend>.swift`; the
/// reason always says what to do next.
public struct WireGuardError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable name for tests and logs.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name.
        public let name: String
        /// Creates a code; backends declare theirs as static lets.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// No such device in either backend.
        public static let noSuchDevice = Code("no such device")
        /// The device exists but is not WireGuard.
        public static let notWireGuard = Code("not a WireGuard device")
        /// Neither the kernel module nor a userspace implementation is available.
        public static let noImplementation = Code("no WireGuard implementation")
        /// The implementation refused the change.
        public static let rejected = Code("change rejected")
        /// The implementation's reply could not be understood.
        public static let malformedReply = Code("malformed reply")
        /// A system call failed.
        public static let system = Code("system error")
    }

    /// What went wrong.
    public var code: Code
    /// The device concerned, when there is one.
    public var device: String?
    /// The errno reported by the kernel or the userspace process, positive; 0 when none.
    public var errno: Int32
    /// A sentence for the operator: what happened and what to do.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, device: String? = nil, errno: Int32 = 0, _ reason: String) {
        self.code = code
        self.device = device
        self.errno = errno
        self.reason = reason
    }

    public var description: String { reason }
}
