public import WGMeshResources

/// What the control socket answers, by request.
///
/// `info` and `ping` are always there; the service adds the rest (`status`, `rotate-key`,
/// `health`). A request no command serves gets an ``ControlError/Code/unknownRequest``.
public struct ControlHandlers: Sendable {
    /// One command: the reply to its request.
    public typealias Command = @Sendable () async -> ControlReply

    /// The daemon's identity, for `info`.
    public var info: @Sendable () -> DaemonInfo
    /// Every other request and its command.
    public var commands: [ControlRequest: Command]

    /// Creates the handlers with `info` and `commands`.
    public init(info: @escaping @Sendable () -> DaemonInfo, commands: [ControlRequest: Command] = [:]) {
        self.info = info
        self.commands = commands
    }

    /// How a request line is answered: at once, or by a command's async work.
    enum Answer {
        /// Known without waiting (info, ping, a refusal).
        case now(ControlReply)
        /// A command to run.
        case later(Command)
    }

    /// How to answer one request line (without its newline). Refusals, `info` and `ping` need
    /// no task, so the server answers them on its event loop even when every cooperative-pool
    /// thread is busy.
    func answer(to line: [UInt8]) -> Answer {
        let request: ControlRequest
        do {
            request = try ControlRequest(line: line)
        } catch {
            return .now(.failure(error))
        }
        switch request {
        case .info: return .now(.result(info().json))
        case .ping: return .now(.result(["ok": true]))
        default:
            guard let command = commands[request] else {
                return .now(.failure(ControlError(.unknownRequest, "this wgmeshd does not serve '\(request.rawValue)' "
                    + "(it serves \(served)): make sure wgmesh and wgmeshd are the same version")))
            }
            return .later(command)
        }
    }

    /// The reply to one request line, waiting for its command if it has one.
    func reply(to line: [UInt8]) async -> ControlReply {
        switch answer(to: line) {
        case .now(let reply): reply
        case .later(let command): await command()
        }
    }

    /// "info, ping or status": every request served, for error messages.
    var served: String {
        let words = ["info", "ping"] + commands.keys.map(\.rawValue).sorted()
        return words.dropLast().joined(separator: ", ") + " or " + words.last!
    }
}
