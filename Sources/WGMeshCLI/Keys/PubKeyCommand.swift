public import ArgumentParser
internal import Glibc
internal import WGMeshCore
internal import WGMeshKeys

/// `wgmesh pubkey`: reads a private key on stdin and prints its public key,
/// accepting and refusing the same input as `wg pubkey`.
public struct PubKeyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pubkey",
        abstract: "Read a private key from standard input and print its public key.",
        discussion: """
            Reads one base64 private key (44 characters; trailing whitespace such as a newline \
            is allowed) and prints the matching public key in base64, like 'wg pubkey'. A key \
            that is not clamped is clamped first, as wg does. On bad input it prints wg's \
            message to stderr and exits with status 1.

            Example, making a key pair:

              umask 077
              wgmesh genkey | tee private.key | wgmesh pubkey > public.key
            """)

    /// wg's messages for the two ways the input can be wrong.
    static let badKeyMessage = "pubkey: Key is not the correct length or format"
    static let trailingMessage = "pubkey: Trailing characters found after key"

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Reads the key, derives the public key and prints it.
    public func run() throws {
        let text = UnsafeMutableRawBufferPointer.allocate(byteCount: KeyText.base64Length, alignment: 1)
        defer {
            // The buffer held the private key's text.
            explicit_bzero(text.baseAddress!, text.count)
            text.deallocate()
        }
        guard KeyCommandIO.readStandardInput(into: text) == text.count else {
            KeyCommandIO.printError(Self.badKeyMessage)
            throw ExitCode(1)
        }
        // Like wg, stop at the first byte after the key that is not whitespace
        // or NUL, without reading the rest of the input.
        var scratch = [UInt8](repeating: 0, count: 256)
        while true {
            let count = scratch.withUnsafeMutableBytes { KeyCommandIO.readStandardInput(into: $0) }
            if !scratch[0..<count].allSatisfy(KeyText.isIgnorableTrailingByte) {
                KeyCommandIO.printError(Self.trailingMessage)
                throw ExitCode(1)
            }
            if count < scratch.count { break }
        }
        let secret: SecretKey
        do {
            secret = try KeyText.secret(from: UnsafeRawBufferPointer(text))
        } catch {
            KeyCommandIO.printError(Self.badKeyMessage)
            throw ExitCode(1)
        }
        let publicKey = Curve25519.KeyAgreement.PrivateKey(secret: secret).publicKey
        guard KeyCommandIO.printLine(publicKey.base64, command: "pubkey") else { throw ExitCode(1) }
    }
}
