import ArgumentParser
import Glibc

extension WGMeshDaemonCommand {
    /// The exit status for input wgmeshd refuses: a wrong value, an unknown
    /// flag or a missing argument. systemd can then tell "fix the unit"
    /// (`RestartPreventExitStatus=2`) from a failure worth a restart.
    public static let badInputStatus: Int32 = 2

    /// `wgmeshd`'s entry point: ArgumentParser's async main, except that
    /// usage errors exit with ``badInputStatus`` like bad values do.
    ///
    /// Calling this from top-level code also sidesteps `main()`'s overloads:
    /// there the synchronous one wins, and it refuses an async command.
    public static func runAsMain(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
            if var daemon = command as? WGMeshDaemonCommand {
                try await daemon.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                WGOutput.printError(fullMessage(for: error))
                Glibc.exit(badInputStatus)
            }
            exit(withError: error)
        }
    }
}
