public import ArgumentParser

extension WGMeshCommand {
    /// Runs a wg-style command straight away, without ArgumentParser; returns
    /// its exit status, or nil when `arguments` need the parser.
    ///
    /// The wg subcommands read their arguments by hand anyway, but before it
    /// gets there ArgumentParser walks every command's properties with `Mirror`
    /// and looks up protocol conformances, which is half the instructions of a
    /// `wgmesh genkey` and hundreds of milliseconds under emulation. Anything
    /// that could be a parser flag (help, completion scripts, `--`) still goes
    /// the long way, so help and errors read the same.
    ///
    /// - Parameter arguments: the command line without the program name.
    public static func runWithoutParser(_ arguments: [String]) -> Int32? {
        guard !arguments.contains(where: needsParser) else { return nil }
        var rest = arguments[...]
        guard let first = rest.popFirst() else { return nil }
        if let status = runKeyCommand(first, rest) { return status }
        guard first == "wg" else { return nil }
        guard let subcommand = rest.popFirst() else { return WGShowCommand.run([], access: .live) }
        let operands = Array(rest)
        switch subcommand {
        case "show": return WGShowCommand.run(operands, access: .live)
        case "showconf": return WGShowConfCommand.run(operands, access: .live)
        case "set": return WGSetCommand.run(operands, access: .live)
        case "setconf": return WGConfMode.setconf.run(operands, access: .live)
        case "addconf": return WGConfMode.addconf.run(operands, access: .live)
        case "syncconf": return WGConfMode.syncconf.run(operands, access: .live)
        default: return runKeyCommand(subcommand, rest)
        }
    }

    /// `genkey`, `genpsk` and `pubkey` take no arguments; with any, the
    /// parser reports the error.
    private static func runKeyCommand(_ name: String, _ rest: ArraySlice<String>) -> Int32? {
        guard rest.isEmpty else { return nil }
        let command: (any ParsableCommand)?
        switch name {
        case "genkey": command = GenKeyCommand()
        case "genpsk": command = GenPSKCommand()
        case "pubkey": command = PubKeyCommand()
        default: command = nil
        }
        guard var command else { return nil }
        do {
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            // They throw only ExitCode; anything else is still a failure.
            return 1
        }
    }

    /// Help, version, completion and `--` are the parser's business.
    private static func needsParser(_ argument: String) -> Bool {
        argument.hasPrefix("--") || argument == "-h"
    }
}
