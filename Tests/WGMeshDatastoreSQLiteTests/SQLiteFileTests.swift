import Glibc
import Testing
import WGMeshDatastore
@testable import WGMeshDatastoreSQLite

@Suite("SQLite datastore: files and opening")
struct SQLiteFileTests {
    @Test("creates a 0600 file in a new 0700 directory")
    func fileModes() async throws {
        let directory = TestDirectory()
        let path = directory.file("a/b/store.db")
        let store = try SQLiteDatastore.open(path: path, logger: testLogger)
        try await store.put("k", value: bytes("v"))
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        // SQLite gives its WAL the database's mode.
        #expect(stat(path + "-wal", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(directory.file("a/b"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(stat(directory.file("a"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        await store.close()
    }

    @Test("refuses a path whose parent is a file")
    func parentIsFile() throws {
        let directory = TestDirectory()
        let blocker = directory.file("plain")
        let fd = open(blocker, O_WRONLY | O_CREAT, 0o600)
        close(fd)
        let error = #expect(throws: DatastoreError.self) {
            try SQLiteDatastore.open(path: "\(blocker)/store.db", logger: testLogger)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.reason.contains("\(blocker) is not a directory") == true)
    }

    @Test("reopening keeps the data and the revision")
    func reopen() async throws {
        let directory = TestDirectory()
        let first = try openTestStore(directory)
        try await first.put("/a", value: bytes("1"))
        let revision = try await first.put("/b", value: bytes("2"))
        await first.close()

        let second = try openTestStore(directory)
        let listed = try await second.list(prefix: "/")
        #expect(listed.revision == revision)
        #expect(listed.items.map(\.key) == ["/a", "/b"])
        #expect(try await second.get("/b")?.value == bytes("2"))
        #expect(try await second.put("/c", value: []) == revision + 1)
        await second.close()
    }

    @Test("a file that is not a database gets a clear error")
    func notADatabase() throws {
        let directory = TestDirectory()
        let path = directory.file("store.db")
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        let junk = [UInt8](repeating: 0x5A, count: 8192)
        _ = junk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let error = #expect(throws: DatastoreError.self) {
            try SQLiteDatastore.open(path: path, logger: testLogger)
        }
        #expect(error?.reason.hasPrefix("not a wgmesh datastore") == true)
    }

    @Test("another program's SQLite database is refused and left alone")
    func foreignDatabase() throws {
        let directory = TestDirectory()
        let path = directory.file("other.db")
        try DatabaseFile.prepare(path: path)
        try SQLiteConnection(path: path, busyTimeout: 1).execute("CREATE TABLE songs(title TEXT)")
        let error = #expect(throws: DatastoreError.self) {
            try SQLiteDatastore.open(path: path, logger: testLogger)
        }
        #expect(error?.reason.hasPrefix("not a wgmesh datastore") == true)
        #expect(error?.reason.contains("songs") == true)
        let tables = try SQLiteConnection(path: path, busyTimeout: 1)
            .scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        #expect(tables == 1)
    }

    @Test("a schema from a newer wgmesh asks for an upgrade")
    func newerSchema() async throws {
        let directory = TestDirectory()
        let store = try openTestStore(directory)
        await store.close()
        try SQLiteConnection(path: directory.file("store.db"), busyTimeout: 1).execute("PRAGMA user_version = 99")
        let error = #expect(throws: DatastoreError.self) { try openTestStore(directory) }
        #expect(error?.reason.contains("schema version 99") == true)
        #expect(error?.reason.hasSuffix("upgrade wgmesh") == true)
    }

    @Test("a closed store refuses requests and ends its watches")
    func closedStore() async throws {
        let store = try openTestStore()
        let stream = store.watch(prefix: "/", from: 1)
        await store.close()
        #expect(await finalError(of: stream)?.code == .closed)
        let error = await #expect(throws: DatastoreError.self) { try await store.get("/a") }
        #expect(error?.code == .closed)
        #expect(await finalError(of: store.watch(prefix: "/", from: 1))?.code == .closed)
    }

    @Test("prefix ranges end at the bytewise successor", arguments: [
        ("/nodes/", Array("/nodes0".utf8)),
        ("a\u{7F}", [0x61, 0x80]),
        ("", nil),
    ] as [(String, [UInt8]?)])
    func prefixSuccessor(prefix: String, upper: [UInt8]?) {
        #expect(KeyRange(prefix: prefix).upper == upper)
    }

    @Test("a successor drops trailing 0xFF bytes")
    func successorOfFF() {
        #expect(KeyPrefix.successor(of: [0x61, 0xFF, 0xFF]) == [0x62])
        #expect(KeyPrefix.successor(of: [0xFF]) == nil)
    }
}
