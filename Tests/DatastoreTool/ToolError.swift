/// Why wgmesh-dstool stopped: a sentence naming the problem and the fix.
struct ToolError: Error, CustomStringConvertible {
    /// The sentence printed on stderr.
    var reason: String
    /// True when the command line was wrong, so the usage is printed too.
    var isUsage = false

    /// A bad command line.
    static func usage(_ reason: String) -> ToolError { ToolError(reason: reason, isUsage: true) }

    var description: String { reason }
}
