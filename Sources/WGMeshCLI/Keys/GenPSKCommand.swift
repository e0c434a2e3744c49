public import ArgumentParser
internal import WGMeshKeys

/// `wgmesh genpsk`: prints a new preshared key, exactly as `wg genpsk` does.
public struct GenPSKCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "genpsk",
        abstract: "Generate a new WireGuard preshared key and print it in base64.",
        discussion: """
            Prints 32 random bytes as 44 base64 characters and a newline, the same output as \
            'wg genpsk'. A preshared key adds a symmetric secret to the handshake of one pair \
            of peers; give both peers the same key. Like wg, it warns on stderr when standard \
            output is a file that other users can read.

            Example:

              umask 077
              wgmesh genpsk > peer-a-b.psk
            """)

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Generates the key and prints it.
    public func run() throws {
        KeyCommandIO.warnIfStandardOutputIsWorldAccessible()
        let key = PresharedKey.generate()
        guard KeyCommandIO.printLine(key.base64EncodedSecret(), command: "genpsk") else {
            throw ExitCode(1)
        }
    }
}
