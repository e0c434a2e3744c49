public import ArgumentParser
internal import WGMeshWireGuard

/// `wgmesh wg`: the wg(8) tool from wireguard-tools, rebuilt on wgmesh's
/// device layer, so `alias wg='wgmesh wg'` changes nothing a script can see.
public struct WGCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wg",
        abstract: "Show and configure WireGuard devices; mirrors wg(8) from wireguard-tools.",
        discussion: """
            Same subcommands, arguments, configuration file format, output and exit codes as \
            wg(8), on kernel and userspace (wireguard-go) devices alike. With no subcommand it \
            runs 'show'. Set WGMESH_STATS=1 to have set, setconf, addconf and syncconf report \
            on stderr how many messages they sent.
            """,
        subcommands: [
            WGShowCommand.self, WGShowConfCommand.self, WGSetCommand.self, WGSetConfCommand.self,
            WGAddConfCommand.self, WGSyncConfCommand.self, GenKeyCommand.self, GenPSKCommand.self,
            PubKeyCommand.self,
        ])

    public init() {}

    /// Bare `wg` shows every device, as wg does.
    public func run() throws {
        try finish(WGShowCommand.run([], access: .live))
    }
}

extension ParsableCommand {
    /// Prints this command's help when `arguments` is just `-h` or `--help`.
    ///
    /// The wg subcommands take their arguments verbatim, so ArgumentParser
    /// never sees a help flag; this gives them their help back.
    static func showedHelp(for arguments: [String]) -> Bool {
        guard arguments.count == 1, arguments[0] == "-h" || arguments[0] == "--help" else { return false }
        WGOutput.write(WGMeshCommand.helpMessage(for: Self.self) + "\n")
        return true
    }
}

extension WGDeviceAccess {
    /// The real device layer: kernel devices, else wireguard-go sockets.
    static var live: WGDeviceAccess { WGDeviceAccess(backend: WireGuardClient()) }
}

/// Ends the command with wg's exit status; 0 returns normally.
func finish(_ status: Int32) throws {
    if status != 0 { throw ExitCode(status) }
}
