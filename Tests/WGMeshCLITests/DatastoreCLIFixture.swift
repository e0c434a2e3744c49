import Glibc
import Logging
import Testing
import WGMeshDatastoreSQLite
import WGMeshTestSupport

/// A datastore for one CLI test: a fresh SQLite file, or (with
/// WGMESH_ETCD_TESTS=1) a fresh single-member etcd; and a way to run the
/// built `wgmesh` against it.
final class DatastoreCLIFixture {
    /// Which backend a test runs against.
    enum Backend: String, CustomStringConvertible, CaseIterable, Sendable {
        case sqlite, etcd
        var description: String { rawValue }

        /// SQLite always; etcd only when the real server may be started.
        static var enabled: [Backend] {
            getenv("WGMESH_ETCD_TESTS") != nil ? [.sqlite, .etcd] : [.sqlite]
        }
    }

    /// The package root, from this file's path (Tests/WGMeshCLITests/...).
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The debug build of `wgmesh`; `swift build --build-tests` builds it.
    static func binary() throws -> String {
        let path = packageRoot + "/.build/debug/wgmesh"
        try #require(access(path, X_OK) == 0, "\(path) is missing: run swift build --product wgmesh first")
        return path
    }

    /// A fresh directory for files of this test.
    let directory: String
    /// `--datastore` for the backend.
    let url: String
    private let cluster: EtcdCluster?

    init(_ backend: Backend) throws {
        directory = try makeTemporaryDirectory(prefix: "wgmesh-cli")
        switch backend {
        case .sqlite:
            cluster = nil
            url = "sqlite://\(directory)/datastore.db"
            // The store exists, empty, as after a node's first start: only wgmeshd and apply create one.
            try Self.createEmptyStore(url)
        case .etcd:
            let cluster = try EtcdCluster.start()
            self.cluster = cluster
            url = "etcd://" + cluster.endpoints.joined(separator: ",")
        }
    }

    /// Opens (so creates) the SQLite store at `url`; it closes on release.
    private static func createEmptyStore(_ url: String) throws {
        _ = try SQLiteDatastore.open(path: String(url.dropFirst("sqlite://".count)), logger: Logger(label: "fixture"))
    }

    deinit {
        cluster?.stop()
        _ = try? runProcess("/bin/rm", ["-rf", directory])
    }

    /// Runs `wgmesh arguments --datastore URL`, feeding `input` on stdin.
    func wgmesh(_ arguments: [String], input: String = "") throws -> ProcessResult {
        try runProcess(try Self.binary(), arguments + ["--datastore", url], input: Array(input.utf8))
    }

    /// Writes `text` to a file in the test directory and returns its path.
    func file(_ name: String, _ text: String, mode: mode_t = 0o600) throws -> String {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        try #require(fd >= 0)
        defer { close(fd) }
        fchmod(fd, mode)
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        try #require(written == text.utf8.count)
        return path
    }
}

/// YAML documents the CLI tests apply.
enum DatastoreCLIDocuments {
    static let keyA = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo="
    static let keyB = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08="

    static let pool = """
        apiVersion: wgmesh.io/v1
        kind: IPPool
        metadata:
          name: pool-a
        spec:
          cidr: 10.244.0.0/16
          blockSize: 26
        """

    static func node(_ name: String, key: String, address: String, port: Int = 51820) -> String {
        """
        apiVersion: wgmesh.io/v1
        kind: Node
        metadata:
          name: \(name)
        spec:
          addresses: [\(address)]
          wireguard:
            publicKey: \(key)
            listenPort: \(port)
            interfaceIPv4: 10.99.0.1
        """
    }

    /// A pool, a block for node a, node a using it, and an endpoint in it.
    static let cluster = [
        pool,
        """
        apiVersion: wgmesh.io/v1
        kind: BlockAffinity
        metadata:
          name: a-10-244-0-0-26
        spec:
          cidr: 10.244.0.0/26
          node: a
        """,
        """
        apiVersion: wgmesh.io/v1
        kind: Node
        metadata:
          name: a
        spec:
          addresses: [192.0.2.1]
          wireguard:
            publicKey: \(keyA)
          blocks: [10.244.0.0/26]
        """,
        """
        apiVersion: wgmesh.io/v1
        kind: WorkloadEndpoint
        metadata:
          name: web-0
          namespace: shop
        spec:
          node: a
          ips: [10.244.0.5/32]
          interfaceName: wgm1
        """,
    ].joined(separator: "\n---\n")
}
