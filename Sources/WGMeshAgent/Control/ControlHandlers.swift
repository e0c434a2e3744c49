public import WGMeshResources

/// What the control socket answers, by request word.
///
/// `info` and `ping` are always there; the service adds the rest
/// (`status`, `rotate-key`, `health`). A command gets the rest of the
/// request line (trimmed, maybe empty) and returns one JSON object; an
/// object with an `error` string is a refusal the client reports as is.
public struct ControlHandlers: Sendable {
    /// One command: the argument text in, the JSON reply out.
    public typealias Command = @Sendable (String) async -> JSONValue

    /// The daemon's identity, for `info`.
    public var info: @Sendable () -> DaemonInfo
    /// Every other request word and its command.
    public var commands: [String: Command]

    /// Creates the handlers with `info` and `commands`.
    public init(info: @escaping @Sendable () -> DaemonInfo, commands: [String: Command] = [:]) {
        self.info = info
        self.commands = commands
    }

    /// "info, ping or status": every request word, for error messages.
    var known: String {
        let words = ["info", "ping"] + commands.keys.sorted()
        return words.dropLast().joined(separator: ", ") + " or " + words.last!
    }
}
