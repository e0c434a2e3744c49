public import ArgumentParser

/// `wgmesh wg setconf`: wg(8)'s `setconf`.
public struct WGSetConfCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "setconf",
        abstract: "Applies a configuration file to a WireGuard interface, replacing its configuration (mirrors wg setconf).",
        discussion: """
            wgmesh wg setconf <interface> <configuration filename>

            Peers not in the file are removed; interface settings the file leaves out are reset, as in wg. The whole file is validated before anything is sent.
            """)

    /// Everything after `setconf`, read by hand as wg reads it.
    @Argument(parsing: .captureForPassthrough, help: "<interface> <configuration filename>")
    public var arguments: [String] = []

    public init() {}

    public func run() throws {
        if Self.showedHelp(for: arguments) { return }
        try finish(WGConfMode.setconf.run(arguments, access: .live))
    }
}
