/// A failure to make, parse, read or write a key.
///
/// The reason is written for an operator and says what to do; it never holds
/// key material, so it can be printed and logged as it is.
public struct KeyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable name for tests and logs.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        /// The stable name.
        public var description: String { name }

        /// Text or bytes that are not one 32-byte key in wg's base64 form.
        public static let malformed = Code("malformed key")
        /// A key followed by something other than whitespace, as wg refuses.
        public static let trailingCharacters = Code("trailing characters after key")
        /// The key file does not exist.
        public static let notFound = Code("key file not found")
        /// The key file's mode lets group or other users in.
        public static let insecurePermissions = Code("key file permissions too open")
        /// The path names a symbolic link, which we refuse to follow.
        public static let symbolicLink = Code("key file is a symbolic link")
        /// The path names a directory, device, FIFO or socket.
        public static let notRegularFile = Code("key file is not a regular file")
        /// A system call failed; `errno` says which way.
        public static let system = Code("system error")
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for the operator: what happened and what to do.
    public var reason: String
    /// The key file concerned, when there is one.
    public var file: String?
    /// The errno of a failed system call, positive; 0 when none.
    public var errno: Int32
    /// Where in our sources the error was raised, for bug reports.
    public var sourceLocation: String

    /// Creates an error.
    public init(
        _ code: Code, file: String? = nil, errno: Int32 = 0, _ reason: String,
        fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.reason = reason
        self.file = file
        self.errno = errno
        self.sourceLocation = "\(fileID):\(line)"
    }

    /// The reason, safe to print: it never holds key material.
    public var description: String { reason }
}
