import Glibc
import Logging
import WGMeshDatastore
import WGMeshDatastoreSQLite

/// A fresh directory under /tmp for one test's database files.
struct TestDirectory {
    /// The directory's absolute path.
    let path: String

    init() {
        var template = Array("/tmp/wgmesh-sqlite-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: errno \(errno)")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { "\(path)/\(name)" }
}

/// A logger that drops everything below warnings, for tests.
let testLogger: Logger = {
    var logger = Logger(label: "wgmesh.sqlite.tests")
    logger.logLevel = .warning
    return logger
}()

/// Opens a store in a fresh directory with a fast fallback poll.
func openTestStore(_ directory: TestDirectory = TestDirectory(), retainedRevisions: Int64 = 10_000) throws
    -> SQLiteDatastore
{
    try SQLiteDatastore.open(
        path: directory.file("store.db"),
        options: SQLiteOptions(retainedRevisions: retainedRevisions), logger: testLogger)
}

/// Reads batches from `stream` until `done` says the events so far are
/// enough, or 10 s pass (a guard against hanging, not a timing check: the
/// caller's expectations then fail on what arrived).
func collect(
    _ stream: AsyncThrowingStream<WatchBatch, any Error>, until done: @escaping @Sendable ([WatchEvent]) -> Bool
) async throws -> [WatchEvent] {
    try await withThrowingTaskGroup(of: [WatchEvent]?.self) { group in
        group.addTask {
            var events: [WatchEvent] = []
            for try await batch in stream {
                events += batch.events
                if done(events) { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: .seconds(10))
            return nil
        }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            return result ?? []
        }
        return []
    }
}

/// The error a stream finishes with, or nil when it finishes cleanly or
/// 10 s pass.
func finalError(of stream: AsyncThrowingStream<WatchBatch, any Error>) async -> DatastoreError? {
    await withTaskGroup(of: DatastoreError?.self) { group in
        group.addTask {
            do {
                for try await _ in stream {}
                return nil
            } catch {
                return error as? DatastoreError
            }
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(10))
            return nil
        }
        defer { group.cancelAll() }
        return await group.next() ?? nil
    }
}

/// The bytes of a string, for values.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// "put key" or "delete key", to compare event sequences at a glance.
func describe(_ events: [WatchEvent]) -> [String] {
    events.map { "\($0.kind == .put ? "put" : "delete") \($0.keyValue.key)@\($0.keyValue.modRevision)" }
}
