public import ArgumentParser

/// `wgmesh wg syncconf`: wg(8)'s `syncconf`.
public struct WGSyncConfCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "syncconf",
        abstract: "Synchronizes a configuration file to a WireGuard interface, sending only what differs (mirrors wg syncconf).",
        discussion: """
            wgmesh wg syncconf <interface> <configuration filename>

            Reads the device, computes the smallest change and sends only that; nothing differs, nothing is sent. Unlike wg, a file without ListenPort keeps the current port instead of picking a new random one. The whole file is validated before anything is sent.
            """)

    /// Everything after `syncconf`, read by hand as wg reads it.
    @Argument(parsing: .captureForPassthrough, help: "<interface> <configuration filename>")
    public var arguments: [String] = []

    public init() {}

    public func run() throws {
        if Self.showedHelp(for: arguments) { return }
        try finish(WGConfMode.syncconf.run(arguments, access: .live))
    }
}
