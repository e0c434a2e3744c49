import Glibc
import Testing
import WGMeshDatastore
@testable import WGMeshDatastoreSQLite

@Suite("SQLite datastore: locks and damaged files")
struct SQLiteFailureTests {
    @Test("a write lock held past the busy timeout gets a clear error, then writes work again")
    func locked() async throws {
        let directory = TestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteDatastore.open(
            path: path, options: SQLiteOptions(busyTimeout: .milliseconds(200)), logger: testLogger)
        defer { Task { await store.close() } }
        // Another connection holds the write lock, as another process would.
        let holder = try SQLiteConnection(path: path, busyTimeout: 1)
        try holder.execute("BEGIN IMMEDIATE")
        let error = await #expect(throws: DatastoreError.self) { try await store.put("/k", value: []) }
        #expect(error?.code == .unavailable)
        #expect(error?.reason.hasPrefix("database \(path) is locked by another process for more than 0.2 s") == true)
        try holder.execute("ROLLBACK")
        #expect(try await store.put("/k", value: []) == 2)
    }

    @Test("a damaged file gives an error, not a crash")
    func corrupt() async throws {
        let directory = TestDirectory()
        let path = directory.file("store.db")
        let store = try openTestStore(directory)
        for index in 0..<200 {
            try await store.put("/k/\(index)", value: [UInt8](repeating: UInt8(index & 0xFF), count: 1000))
        }
        await store.close()
        // Keep page 1 (the header and the schema) and scribble over the rest.
        let fd = open(path, O_WRONLY)
        var info = stat()
        fstat(fd, &info)
        let junk = [UInt8](repeating: 0xA5, count: Int(info.st_size) - 4096)
        _ = junk.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 4096) }
        close(fd)

        do {
            let damaged = try openTestStore(directory)
            defer { Task { await damaged.close() } }
            _ = try await damaged.list(prefix: "/k/")
            Issue.record("listing a damaged file succeeded")
        } catch let error as DatastoreError {
            #expect(error.reason.contains("corrupt") || error.reason.hasPrefix("not a wgmesh datastore"))
        }
    }
}
