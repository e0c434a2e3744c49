public import ArgumentParser

/// `wgmesh wg showconf`: wg(8)'s `showconf`, a config file `setconf` reads back.
public struct WGShowConfCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "showconf",
        abstract: "Shows the configuration of a WireGuard interface, for use with setconf (mirrors wg showconf).",
        discussion: "wgmesh wg showconf <interface>\n\nThe output includes the private key, as wg's does.")

    /// Everything after `showconf`, read by hand as wg reads it.
    @Argument(parsing: .captureForPassthrough, help: "<interface>")
    public var arguments: [String] = []

    public init() {}

    public func run() throws {
        if Self.showedHelp(for: arguments) { return }
        try finish(Self.run(arguments, access: .live))
    }

    /// Runs `showconf` with `arguments`; returns wg's exit status.
    static func run(_ arguments: [String], access: WGDeviceAccess) -> Int32 {
        guard arguments.count == 1 else {
            WGOutput.printError("Usage: wg showconf <interface>")
            return 1
        }
        do {
            WGOutput.write(bytes: WGConfFormatter.formatBytes(try access.device(arguments[0])))
            return 0
        } catch {
            WGOutput.printError(error.message)
            return 1
        }
    }
}
