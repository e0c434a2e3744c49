public import ArgumentParser

/// `wgmesh wg set`: wg(8)'s `set`, one change from command-line words.
public struct WGSetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change the current configuration, add peers, remove peers, or change peers (mirrors wg set).",
        discussion: """
            \(usage.dropFirst("Usage: ".count))

            As in wg: key files are read as they are (an empty file or /dev/null removes the key), \
            allowed-ips replaces the peer's list, and nothing is sent unless every argument is valid.
            """)

    /// Everything after `set`, read by hand as wg reads it.
    @Argument(parsing: .captureForPassthrough, help: "<interface> [listen-port <port>] ... [peer <key> ...]...")
    public var arguments: [String] = []

    public init() {}

    public func run() throws {
        if Self.showedHelp(for: arguments) { return }
        try finish(Self.run(arguments, access: .live))
    }

    static let usage = """
        Usage: wg set <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] \
        [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] \
        [persistent-keepalive <interval seconds>] [allowed-ips <ip1>/<cidr1>[,<ip2>/<cidr2>]...] ]...
        """

    /// Runs `set` with `arguments`; returns wg's exit status.
    static func run(_ arguments: [String], access: WGDeviceAccess) -> Int32 {
        guard arguments.count >= 2 else {
            WGOutput.printError(usage)
            return 1
        }
        do {
            let parsed = try WGSetArguments(Array(arguments.dropFirst()))
            for warning in parsed.warnings { WGOutput.printError(warning) }
            try access.configure(arguments[0], with: parsed.configuration)
            return 0
        } catch {
            WGOutput.printError(error.message)
            return 1
        }
    }
}
