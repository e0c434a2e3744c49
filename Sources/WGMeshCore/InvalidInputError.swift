/// A value that failed validation: a key, CIDR, endpoint, port or name.
///
/// The reason names the field and says how to fix it, so the CLI can print it
/// as it is.
public struct InvalidInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of value that was rejected.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short, stable name for logs and tests.
        public let name: String
        public var description: String { name }

        /// A key that is not 32 bytes of standard base64 (or hex) text.
        public static let invalidKey = Code(name: "invalid key")
        /// An IP address that does not parse.
        public static let invalidAddress = Code(name: "invalid address")
        /// A CIDR whose address or prefix length is wrong.
        public static let invalidCIDR = Code(name: "invalid CIDR")
        /// An endpoint that is not `host:port` or `[v6]:port`.
        public static let invalidEndpoint = Code(name: "invalid endpoint")
        /// A port outside 0...65535, or not a number.
        public static let invalidPort = Code(name: "invalid port")
        /// An interface name that Linux would refuse.
        public static let invalidInterfaceName = Code(name: "invalid interface name")
        /// A number that is out of range or not a number.
        public static let invalidNumber = Code(name: "invalid number")
    }

    /// What kind of value was rejected.
    public var code: Code
    /// A sentence for the operator: what was wrong, and what to do.
    public var reason: String

    /// Creates an error with a reason for the operator.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
