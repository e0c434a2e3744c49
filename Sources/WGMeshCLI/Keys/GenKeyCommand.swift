public import ArgumentParser
internal import WGMeshKeys

/// `wgmesh genkey`: prints a new private key, exactly as `wg genkey` does.
public struct GenKeyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "genkey",
        abstract: "Generate a new WireGuard private key and print it in base64.",
        discussion: """
            Prints a new random Curve25519 private key, already clamped, as 44 base64 \
            characters and a newline: the same output as 'wg genkey', usable by either tool. \
            Like wg, it warns on stderr when standard output is a file that other users can \
            read, so set the umask to 077 before saving keys.

            Example, making a key pair:

              umask 077
              wgmesh genkey | tee private.key | wgmesh pubkey > public.key
            """)

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Generates the key and prints it.
    public func run() throws {
        KeyCommandIO.warnIfStandardOutputIsWorldAccessible()
        let key = Curve25519.KeyAgreement.PrivateKey()
        guard KeyCommandIO.printLine(key.secret.base64EncodedSecret(), command: "genkey") else {
            throw ExitCode(1)
        }
    }
}
