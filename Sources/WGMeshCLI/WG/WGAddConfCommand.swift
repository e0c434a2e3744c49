public import ArgumentParser

/// `wgmesh wg addconf`: wg(8)'s `addconf`.
public struct WGAddConfCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "addconf",
        abstract: "Appends a configuration file to a WireGuard interface (mirrors wg addconf).",
        discussion: """
            wgmesh wg addconf <interface> <configuration filename>

            The file's peers are added or updated (each gets exactly the file's allowed IPs); other peers stay, as in wg. The whole file is validated before anything is sent.
            """)

    /// Everything after `addconf`, read by hand as wg reads it.
    @Argument(parsing: .captureForPassthrough, help: "<interface> <configuration filename>")
    public var arguments: [String] = []

    public init() {}

    public func run() throws {
        if Self.showedHelp(for: arguments) { return }
        try finish(WGConfMode.addconf.run(arguments, access: .live))
    }
}
