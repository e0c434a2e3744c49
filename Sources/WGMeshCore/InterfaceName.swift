/// A Linux network interface name, checked the way the kernel checks it.
public struct InterfaceName: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The longest name Linux accepts (IFNAMSIZ - 1).
    public static let maxLength = 15

    /// The validated name.
    public let rawValue: String

    /// Validates `name`: 1 to 15 bytes, no `/`, no whitespace, not `.` or `..`.
    public init(_ name: some StringProtocol) throws(InvalidInputError) {
        let name = String(name)
        let problem: String? =
            if name.isEmpty { "it is empty" }
            else if name.utf8.count > Self.maxLength { "it is \(name.utf8.count) bytes; Linux allows at most 15" }
            else if name == "." || name == ".." { "'.' and '..' are reserved" }
            else if name.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
                "it contains '/', ':' or whitespace"
            } else { nil }
        if let problem {
            throw InvalidInputError(.invalidInterfaceName, "invalid interface name '\(name)': \(problem)")
        }
        rawValue = name
    }

    /// A name known to be valid at compile time.
    public init(stringLiteral value: String) {
        // A literal that fails here is a programming error, caught in tests.
        try! self.init(value)
    }

    public var description: String { rawValue }
}
