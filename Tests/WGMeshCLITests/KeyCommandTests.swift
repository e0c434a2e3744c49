import Glibc
import Testing
import WGMeshCore
import WGMeshKeys
import WGMeshTestSupport

/// Runs the built `wgmesh` binary (build it first: `swift build --product wgmesh`)
/// and the real `wg` side by side, checking stdout, stderr and exit status.
@Suite struct KeyCommandTests {
    static let wg = "/usr/bin/wg"

    /// `wgmesh` sits next to the test bundle in the build folder.
    static func wgmesh() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        try #require(count > 0)
        let bundle = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let binary = String(bundle[..<(bundle.lastIndex(of: "/") ?? bundle.endIndex)]) + "/wgmesh"
        try #require(access(binary, X_OK) == 0, "\(binary) is missing: run swift build --product wgmesh first")
        return binary
    }

    static let rfc7748Alice = (
        "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=", "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=")

    @Test(arguments: ["genkey", "genpsk"])
    func generatesOneBase64KeyAndANewline(command: String) throws {
        let first = try runProcess(try Self.wgmesh(), [command])
        let second = try runProcess(try Self.wgmesh(), [command])
        #expect(first.status == 0)
        #expect(first.standardError == "")
        #expect(first.standardOutput.utf8.count == 45)
        #expect(first.standardOutput.hasSuffix("\n"))
        let key = try SecretKey(base64: first.standardOutput.dropLast())
        #expect(!key.isZero)
        #expect(first.standardOutput != second.standardOutput)
    }

    @Test func genkeyOutputIsClampedAndWGAgreesOnItsPublicKey() throws {
        for _ in 0..<5 {
            let generated = try runProcess(try Self.wgmesh(), ["genkey"])
            let secret = try SecretKey(base64: generated.standardOutput.dropLast())
            #expect(Curve25519.KeyAgreement.PrivateKey(secret: secret).secret == secret, "genkey must print a clamped key")
            let ours = try runProcess(try Self.wgmesh(), ["pubkey"], input: Array(generated.standardOutput.utf8))
            let theirs = try runProcess(Self.wg, ["pubkey"], input: Array(generated.standardOutput.utf8))
            #expect(ours.status == 0)
            #expect(ours.standardOutput == theirs.standardOutput)
        }
    }

    @Test func pubkeyDerivesTheRFC7748PublicKey() throws {
        let result = try runProcess(try Self.wgmesh(), ["pubkey"], input: Array((Self.rfc7748Alice.0 + "\n").utf8))
        #expect(result.status == 0)
        #expect(result.standardOutput == Self.rfc7748Alice.1 + "\n")
        #expect(result.standardError == "")
    }

    @Test(arguments: ["", "\n", " \t\r\n\n", "\0\n", "\n\n\n\n" + String(repeating: " ", count: 600)])
    func pubkeyAllowsTrailingWhitespaceLikeWG(trailer: String) throws {
        let input = Array((Self.rfc7748Alice.0 + trailer).utf8)
        let ours = try runProcess(try Self.wgmesh(), ["pubkey"], input: input)
        let theirs = try runProcess(Self.wg, ["pubkey"], input: input)
        #expect(theirs.status == 0)
        #expect(ours.status == 0)
        #expect(ours.standardOutput == Self.rfc7748Alice.1 + "\n")
    }

    @Test(arguments: [
        ("", "pubkey: Key is not the correct length or format\n"),
        ("too short\n", "pubkey: Key is not the correct length or format\n"),
        ("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo\n", "pubkey: Key is not the correct length or format\n"),
        ("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LC!=", "pubkey: Key is not the correct length or format\n"),
        ("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCp=", "pubkey: Key is not the correct length or format\n"),
        ("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=\nx", "pubkey: Trailing characters found after key\n"),
        (" dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=", "pubkey: Trailing characters found after key\n"),
    ])
    func pubkeyRefusesBadInputWithWGsMessage(input: String, message: String) throws {
        let ours = try runProcess(try Self.wgmesh(), ["pubkey"], input: Array(input.utf8))
        #expect(ours.status == 1)
        #expect(ours.standardOutput == "")
        #expect(ours.standardError == message)
        // wg prefixes the argv[0] it was run with (here its full path); the rest
        // of the message, so the kind of problem found first, must match.
        let theirs = try runProcess(Self.wg, ["pubkey"], input: Array(input.utf8))
        #expect(theirs.status == 1)
        #expect(theirs.standardError == "\(Self.wg): " + message.dropFirst("pubkey: ".count))
    }

    @Test(arguments: ["genkey", "genpsk"])
    func warnsLikeWGWhenWritingToAWorldAccessibleFile(command: String) throws {
        for (mode, warns) in [(mode_t(0o644), true), (0o604, true), (0o600, false), (0o640, false)] {
            let path = try Self.temporaryFile(mode: mode)
            defer { unlink(path) }
            let ours = try runProcess(try Self.wgmesh(), [command], stdoutPath: path)
            let theirs = try runProcess(Self.wg, [command], stdoutPath: path)
            #expect(ours.status == 0)
            #expect(ours.standardError == theirs.standardError, "mode \(String(mode, radix: 8))")
            let warning = "Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n"
            #expect(ours.standardError == (warns ? warning : ""), "mode \(String(mode, radix: 8))")
        }
    }

    @Test func theKeyStillLandsInTheFileAfterTheWarning() throws {
        let path = try Self.temporaryFile(mode: 0o644)
        defer { unlink(path) }
        _ = try runProcess(try Self.wgmesh(), ["genkey"], stdoutPath: path)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 100)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        #expect(count == 45)
        #expect(throws: Never.self) { try SecretKey(base64: String(decoding: bytes[0..<44], as: UTF8.self)) }
    }

    @Test(arguments: ["genkey", "pubkey", "genpsk"])
    func helpExplainsWithAnExample(command: String) throws {
        let result = try runProcess(try Self.wgmesh(), [command, "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("wgmesh genkey |") || result.standardOutput.contains("wgmesh genpsk >"))
        #expect(result.standardOutput.contains("Example"))
    }

    /// An empty file with exactly `mode`, to stand in for stdout.
    static func temporaryFile(mode: mode_t) throws -> String {
        var template = Array("/tmp/wgmesh-keycmd-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        try #require(fd >= 0)
        fchmod(fd, mode)
        close(fd)
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
