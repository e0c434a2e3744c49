import Glibc
import Testing
import WGMeshCore
import WGMeshKeys

/// Serialized because one test changes the process umask.
@Suite(.serialized) struct KeyFileTests {
    /// A fresh folder for one test, removed with everything in it afterwards.
    final class Scratch {
        let path: String
        init() throws {
            var template = Array("/tmp/wgmesh-keyfile-XXXXXX".utf8CString)
            let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            try #require(made != nil)
            path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        deinit {
            for name in entries() { unlink(path + "/" + name) }
            rmdir(path)
        }
        /// Names in the folder, without "." and "..".
        func entries() -> [String] {
            guard let dir = opendir(path) else { return [] }
            defer { closedir(dir) }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            return names.sorted()
        }
        /// Writes `text` to `name` with exactly `mode`.
        func file(_ name: String, _ text: String, mode: mode_t) -> String {
            let file = path + "/" + name
            let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            _ = text.utf8CString.withUnsafeBytes { write(fd, $0.baseAddress, $0.count - 1) }
            fchmod(fd, mode)
            close(fd)
            return file
        }
    }

    static func mode(of path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0xFFFF
    }

    @Test func writesMode0600EvenUnderUmask000AndReadsItBack() throws {
        let scratch = try Scratch()
        let key = Curve25519.KeyAgreement.PrivateKey()
        let path = scratch.path + "/private.key"
        let old = umask(0)
        defer { umask(old) }
        try KeyFile.write(key, to: path)
        #expect(Self.mode(of: path) == 0o600)
        #expect(try KeyFile.readPrivateKey(at: path).publicKey == key.publicKey)
    }

    @Test func replacesAnOpenFileAtomicallyAndLeavesNoTemporaryFile() throws {
        let scratch = try Scratch()
        let path = scratch.file("private.key", "old contents\n", mode: 0o644)
        let secret = PresharedKey.generate()
        try KeyFile.write(secret, to: path)
        #expect(scratch.entries() == ["private.key"])
        #expect(Self.mode(of: path) == 0o600)
        #expect(try KeyFile.read(at: path) == secret)
    }

    @Test func contentIsTheKeyAndANewlineLikeWGGenkey() throws {
        let scratch = try Scratch()
        let path = scratch.path + "/k"
        let key = Curve25519.KeyAgreement.PrivateKey()
        try KeyFile.write(key, to: path)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 100)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        #expect(String(decoding: bytes[0..<max(0, count)], as: UTF8.self) == key.secret.base64EncodedSecret() + "\n")
    }

    @Test(arguments: [mode_t(0o644), 0o640, 0o604, 0o660, 0o601])
    func refusesFilesOthersCanReach(mode: mode_t) throws {
        let scratch = try Scratch()
        let path = scratch.file("k", PresharedKey.generate().base64EncodedSecret() + "\n", mode: mode)
        let error = #expect(throws: KeyError.self) { try KeyFile.read(at: path) }
        #expect(error?.code == .insecurePermissions)
        #expect(error?.file == path)
        let octal = "0" + String(mode, radix: 8)
        #expect(error?.reason == "key file \(path) is readable by other users (mode \(octal)): run chmod 600 \(path)")
    }

    @Test func acceptsOwnerOnlyModes() throws {
        let scratch = try Scratch()
        let secret = PresharedKey.generate()
        let path = scratch.file("k", secret.base64EncodedSecret() + "\n", mode: 0o400)
        #expect(try KeyFile.read(at: path) == secret)
    }

    @Test func refusesASymbolicLinkEvenToAGoodFile() throws {
        let scratch = try Scratch()
        let target = scratch.file("real", PresharedKey.generate().base64EncodedSecret(), mode: 0o600)
        let link = scratch.path + "/link"
        try #require(symlink(target, link) == 0)
        let error = #expect(throws: KeyError.self) { try KeyFile.read(at: link) }
        #expect(error?.code == .symbolicLink)
    }

    @Test func refusesADirectoryAndAFIFO() throws {
        let scratch = try Scratch()
        let directory = scratch.path + "/dir"
        try #require(mkdir(directory, 0o700) == 0)
        defer { rmdir(directory) }
        #expect((#expect(throws: KeyError.self) { try KeyFile.read(at: directory) })?.code == .notRegularFile)
        let fifo = scratch.path + "/fifo"
        try #require(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading would block without O_NONBLOCK; this must return.
        #expect((#expect(throws: KeyError.self) { try KeyFile.read(at: fifo) })?.code == .notRegularFile)
    }

    @Test func aMissingFileSaysHowToCreateIt() throws {
        let scratch = try Scratch()
        let path = scratch.path + "/absent.key"
        let error = #expect(throws: KeyError.self) { try KeyFile.read(at: path) }
        #expect(error?.code == .notFound)
        #expect(error?.reason.contains("genkey") == true)
    }

    @Test(arguments: [
        ("", KeyError.Code.malformed), ("hello\n", .malformed),
        ("YAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm=\n", .malformed),
        ("YAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nsecond line\n", .trailingCharacters),
    ])
    func refusesMalformedContentWithTheReason(content: String, code: KeyError.Code) throws {
        let scratch = try Scratch()
        let path = scratch.file("k", content, mode: 0o600)
        let error = #expect(throws: KeyError.self) { try KeyFile.read(at: path) }
        #expect(error?.code == code)
        #expect(error?.reason.hasPrefix("key file \(path)") == true)
    }

    @Test func aKeyWithoutTrailingNewlineIsFine() throws {
        let scratch = try Scratch()
        let path = scratch.file("k", "YAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=", mode: 0o600)
        #expect(try KeyFile.read(at: path) == (try SecretKey(base64: "YAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=")))
    }

    @Test func writingIntoAMissingFolderFailsCleanly() throws {
        let error = #expect(throws: KeyError.self) {
            try KeyFile.write(PresharedKey.generate(), to: "/nonexistent-wgmesh-dir/k")
        }
        #expect(error?.code == .system)
        #expect(error?.errno == ENOENT)
    }
}
