import Glibc
import Logging
import Testing
import WGMeshKeys
import WGMeshTestSupport
@testable import WGMeshAgent

@Suite struct NodeKeyStoreTests {
    static let logger = Logger(label: "key-store-test") { _ in SwiftLogNoOpLogHandler() }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        #expect(lstat(path, &info) == 0)
        return info.st_mode & 0o7777
    }

    @Test func createsAPrivateKeyInAPrivateFolderAndReloadsIt() throws {
        let base = try makeTemporaryDirectory(prefix: "wgmesh-keystore")
        defer { _ = try? runProcess("/bin/rm", ["-rf", base]) }
        let state = base + "/var/lib/wgmesh"
        let created = try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: Self.logger)
        #expect(mode(state) == 0o700)
        #expect(mode(state + "/private.key") == 0o600)
        let loaded = try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: Self.logger)
        #expect(loaded.publicKey == created.publicKey)
        #expect(try KeyFile.readPrivateKey(at: state + "/private.key").publicKey == created.publicKey)
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let state = try makeTemporaryDirectory(prefix: "wgmesh-keystore")
        defer { _ = try? runProcess("/bin/rm", ["-rf", state]) }
        let key = try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: Self.logger)
        #expect(chmod(state + "/private.key", 0o644) == 0)
        let error = #expect(throws: AgentError.self) {
            try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: Self.logger)
        }
        #expect(error?.code == .stateDirectory)
        #expect(error?.reason.contains("chmod 600 \(state)/private.key") == true)
        // The key was refused, not replaced.
        #expect(chmod(state + "/private.key", 0o600) == 0)
        #expect(try KeyFile.readPrivateKey(at: state + "/private.key").publicKey == key.publicKey)
    }

    @Test func refusesASymbolicLink() throws {
        let state = try makeTemporaryDirectory(prefix: "wgmesh-keystore")
        defer { _ = try? runProcess("/bin/rm", ["-rf", state]) }
        let other = state + "/elsewhere"
        _ = try NodeKeyStore.loadOrCreate(stateDirectory: other, logger: Self.logger)
        let linked = state + "/linked"
        #expect(mkdir(linked, 0o700) == 0)
        #expect(symlink(other + "/private.key", linked + "/private.key") == 0)
        let error = #expect(throws: AgentError.self) {
            try NodeKeyStore.loadOrCreate(stateDirectory: linked, logger: Self.logger)
        }
        #expect(error?.code == .stateDirectory)
        #expect(error?.reason.contains("symbolic link") == true)
    }

    @Test func refusesAFolderOthersCanWrite() throws {
        let state = try makeTemporaryDirectory(prefix: "wgmesh-keystore")
        defer { _ = try? runProcess("/bin/rm", ["-rf", state]) }
        #expect(chmod(state, 0o777) == 0)
        let error = #expect(throws: AgentError.self) {
            try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: Self.logger)
        }
        #expect(error?.reason.contains("chmod 700 \(state)") == true)
        #expect(access(state + "/private.key", F_OK) != 0)
    }

    @Test func refusesAMalformedKeyAndKeepsIt() throws {
        let state = try makeTemporaryDirectory(prefix: "wgmesh-keystore")
        defer { _ = try? runProcess("/bin/rm", ["-rf", state]) }
        let path = state + "/private.key"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        _ = "not a key\n".withCString { write(fd, $0, 10) }
        close(fd)
        let error = #expect(throws: AgentError.self) {
            try NodeKeyStore.loadOrCreate(stateDirectory: state, logger: Self.logger)
        }
        #expect(error?.reason.contains("restore it from a backup") == true)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_size == 10)
    }
}
