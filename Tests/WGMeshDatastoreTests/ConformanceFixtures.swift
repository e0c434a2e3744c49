import Dispatch
import Glibc
import Synchronization
import WGMeshTestSupport

/// Runs blocking work (starting etcd, waiting for a child process) on a
/// Dispatch thread, so it never holds one of the cooperative pool's few threads.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// The one etcd member every etcd test of this run shares (each test keeps
/// to its own key prefix), started on first use and stopped at exit.
actor SharedEtcd {
    static let shared = SharedEtcd()

    private var starting: Task<EtcdCluster, any Error>?
    /// Read by the exit handler, which cannot reach the actor.
    private static let running = Mutex<EtcdCluster?>(nil)

    /// The member's client address, "127.0.0.1:port".
    func endpoint() async throws -> String {
        if starting == nil {
            starting = Task { try await offPool { try EtcdCluster.start(members: 1) } }
        }
        let cluster = try await starting!.value
        let first = Self.running.withLock { running -> Bool in
            defer { running = cluster }
            return running == nil
        }
        if first { atexit { SharedEtcd.running.withLock { $0?.stop() } } }
        return cluster.endpoints[0]
    }
}

/// Directories for SQLite files, removed when the test process exits.
enum TemporaryFiles {
    private static let made = Mutex<[String]>([])

    /// A fresh directory under $TMPDIR (or /tmp).
    static func directory() throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/wgmesh-conformance-XXXXXX".utf8CString)
        guard let pointer = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TemporaryFilesError(reason: "mkdtemp in \(base): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: pointer)
        let first = made.withLock { made -> Bool in
            made.append(path)
            return made.count == 1
        }
        if first { atexit { TemporaryFiles.removeAll() } }
        return path
    }

    /// A path for a new SQLite database in its own directory.
    static func databasePath() throws -> String { try directory() + "/datastore.db" }

    /// Removes the database files SQLite makes, then the directories.
    private static func removeAll() {
        for directory in made.withLock({ $0 }) {
            for name in ["datastore.db", "datastore.db-wal", "datastore.db-shm", "datastore.db-journal"] {
                unlink(directory + "/" + name)
            }
            rmdir(directory)
        }
    }
}

/// A temporary directory could not be made.
struct TemporaryFilesError: Error, CustomStringConvertible {
    /// What failed, with errno's text.
    var reason: String
    var description: String { reason }
}
