/// A failure of one `wgmesh wg` command, worded as wg(8) words it.
///
/// `message` is what wg prints on stderr (one or more lines, no trailing
/// newline), so scripts that grep wg's errors keep working; `line` names the
/// configuration line at fault when there is one. Every such failure exits 1,
/// as wg does.
public struct WGToolError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, as a stable name for tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The arguments do not fit the command's usage.
        public static let usage = Code("usage")
        /// A value (key, port, fwmark, CIDR, endpoint, keepalive) does not parse.
        public static let invalidValue = Code("invalid value")
        /// A configuration line is not one wg knows.
        public static let unrecognizedLine = Code("unrecognized line")
        /// The configuration as a whole is wrong (a peer without a public key).
        public static let invalidConfiguration = Code("invalid configuration")
        /// A file could not be opened or read.
        public static let file = Code("file")
        /// The device could not be read or changed.
        public static let device = Code("device")
    }

    /// What kind of failure.
    public var code: Code
    /// The text for stderr, in wg's words where wg has them.
    public var message: String
    /// The 1-based configuration line at fault, when there is one.
    public var line: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
    }

    public var description: String { message }
}
