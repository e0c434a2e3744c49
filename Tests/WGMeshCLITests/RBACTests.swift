import Glibc
import Logging
import Testing
import WGMeshDatastore
import WGMeshDatastoreConnect
import WGMeshTestSupport

/// Per-node least privilege against a real etcd with auth on: what
/// `wgmesh datastore init-rbac` and `add-node` set up keeps each node to
/// its own records. Needs WGMESH_ETCD_TESTS=1.
@Suite(.enabled(if: getenv("WGMESH_ETCD_TESTS") != nil, "needs a real etcd: set WGMESH_ETCD_TESTS=1"))
struct RBACTests {
    static let root = "/wgmesh/v1/"

    @Test func aNodeWritesOnlyItsOwnRecordsAndTheAdminWritesAll() async throws {
        let etcd = try EtcdCluster.start()
        defer { etcd.stop() }
        let files = try DatastoreCLIFixture(.sqlite)
        let url = "etcd://" + etcd.endpoints.joined(separator: ",")
        let rootPassword = try files.file("root.pw", "root-secret\n")
        let nodePassword = try files.file("a.pw", "node-a-secret\n")
        let binary = try DatastoreCLIFixture.binary()

        let initRBAC = try runProcess(binary, ["datastore", "init-rbac", "--datastore", url,
                                               "--admin-password-file", rootPassword])
        #expect(initRBAC.status == 0, "\(initRBAC.standardError)")
        #expect(initRBAC.standardOutput.contains("authentication enabled"))
        let again = try runProcess(binary, ["datastore", "init-rbac", "--datastore", url,
                                            "--admin-password-file", rootPassword])
        #expect(again.status == 0, "init-rbac must be idempotent: \(again.standardError)")
        for node in ["a", "b"] {
            let added = try runProcess(binary, ["datastore", "add-node", node, "--password-file", nodePassword,
                                                "--datastore", url, "--etcd-user", "root",
                                                "--etcd-password-file", rootPassword])
            #expect(added.status == 0, "\(added.standardError)")
        }

        let parsed = try DatastoreURL(parsing: url)
        let logger = Logger(label: "rbac-test")
        let admin = try await DatastoreConnector.connect(
            url: parsed, credentials: DatastoreCredentials(username: "root", passwordFile: rootPassword), logger: logger)
        let nodeA = try await DatastoreConnector.connect(
            url: parsed, credentials: DatastoreCredentials(username: "node-a", passwordFile: nodePassword),
            logger: logger)

        // The admin writes everything, including node b's records.
        for key in ["nodes/b", "nodestatus/b", "blockaffinities/b/b-10-0-0-0-26", "ippools/p"] {
            try await admin.put(Self.root + key, value: Array("{}".utf8))
        }
        // Node a writes its own records and reads everyone's.
        for key in ["nodes/a", "nodestatus/a", "liveness/a", "blockaffinities/a/a-10-0-0-64-26",
                    "workloadendpoints/a/shop/web-0"] {
            try await nodeA.put(Self.root + key, value: Array("{\"mine\":true}".utf8))
        }
        #expect(try await nodeA.get(Self.root + "nodes/b")?.value == Array("{}".utf8))
        #expect(try await nodeA.list(prefix: Self.root).items.count == 9)

        // ... and cannot touch node b's, nor cluster-wide ones, nor a key
        // that merely starts with its name.
        for key in ["nodes/b", "nodestatus/b", "liveness/b", "blockaffinities/b/b-10-0-0-0-26",
                    "blockaffinities/b/new", "workloadendpoints/b/shop/x", "ippools/p", "nodes/ab",
                    "blockaffinities/ab/x"] {
            await #expect(throws: DatastoreError.self, "node a wrote \(key)") {
                do {
                    try await nodeA.put(Self.root + key, value: Array("{\"hostile\":true}".utf8))
                } catch let error as DatastoreError {
                    #expect(error.code == .permissionDenied, "\(key): \(error.reason)")
                    throw error
                }
            }
            await #expect(throws: DatastoreError.self) { try await nodeA.delete(Self.root + key) }
        }
        #expect(try await admin.get(Self.root + "nodes/b")?.value == Array("{}".utf8))
        #expect(try await admin.get(Self.root + "nodes/ab") == nil)

        // Through the CLI, too: node a's credentials cannot apply another node.
        let nodeC = """
            apiVersion: wgmesh.io/v1
            kind: Node
            metadata:
              name: c
            spec:
              addresses: [192.0.2.3]
            """
        let cli = try runProcess(binary, ["apply", "-f", "-", "--datastore", url, "--etcd-user", "node-a",
                                          "--etcd-password-file", nodePassword], input: Array(nodeC.utf8))
        #expect(cli.status == 1)
        #expect(cli.standardError.hasPrefix("Error: etcd denied"), "\(cli.standardError)")
        #expect(cli.standardError.contains("nodes/c to user node-a"))
        await admin.close()
        await nodeA.close()
    }
}

/// The RBAC commands without etcd.
@Suite struct RBACCommandTests {
    @Test func initRBACRefusesTheSQLiteStore() throws {
        let files = try DatastoreCLIFixture(.sqlite)
        let password = try files.file("root.pw", "x\n")
        let result = try files.wgmesh(["datastore", "init-rbac", "--admin-password-file", password])
        #expect(result.status == 1)
        #expect(result.standardError.contains("RBAC applies to etcd only"))
    }

    @Test(arguments: ["x/y", "a*", "", "-a", "a.", "A", "a b", "../b"])
    func nodeNamesThatWouldWidenTheKeyRangeAreRefused(name: String) {
        #expect(throws: DatastoreError.self) { try EtcdRBAC.checkNodeName(name) }
    }

    @Test func aNodeRoleCoversExactlyItsOwnKeys() {
        let writable = EtcdRBAC.nodeGrants("a").filter { $0.access == .readWrite }.map(\.description)
        #expect(writable == [
            "readwrite /wgmesh/v1/nodes/a", "readwrite /wgmesh/v1/nodestatus/a", "readwrite /wgmesh/v1/liveness/a",
            "readwrite /wgmesh/v1/blockaffinities/a/*", "readwrite /wgmesh/v1/workloadendpoints/a/*",
            "readwrite /wgmesh/v1/rotaterequests/a",
        ])
        #expect(EtcdRBAC.nodeGrants("a").filter { $0.access == .read }.map(\.description) == ["read /wgmesh/v1/*"])
    }

    @Test(arguments: [(mode_t(0o644), false), (0o640, false), (0o604, false), (0o600, true), (0o400, true)])
    func passwordFilesMustBeOwnerOnly(mode: mode_t, accepted: Bool) throws {
        let files = try DatastoreCLIFixture(.sqlite)
        let path = try files.file("pw", "s3cret\r\nignored\n", mode: mode)
        if accepted {
            #expect(try PasswordFile.read(at: path) == "s3cret")
        } else {
            #expect {
                try PasswordFile.read(at: path)
            } throws: { error in
                let reason = (error as? DatastoreError)?.reason ?? ""
                return reason.contains("chmod 600") && !reason.contains("s3cret")
            }
        }
    }

    @Test func emptyAndMissingPasswordFilesAreRefused() throws {
        let files = try DatastoreCLIFixture(.sqlite)
        let empty = try files.file("empty", "\n")
        #expect(throws: DatastoreError.self) { try PasswordFile.read(at: empty) }
        #expect(throws: DatastoreError.self) { try PasswordFile.read(at: files.directory + "/missing") }
        symlink(empty, files.directory + "/link")
        #expect(throws: DatastoreError.self) { try PasswordFile.read(at: files.directory + "/link") }
    }
}
