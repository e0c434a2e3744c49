import Testing
import WGMeshDatastore
import WGMeshDatastoreEtcd
import WGMeshTestSupport

@Suite("etcd datastore: auth and TLS", .enabled(if: etcdTestsEnabled), .serialized, .timeLimit(.minutes(2)))
struct EtcdAuthTests {
    /// Turns auth on with root and a read-only user "reader" on "ro/".
    private func enableAuth(_ cluster: EtcdCluster) async throws {
        try await withEtcd(cluster) { store in
            let admin = EtcdAuthAdmin(store)
            try await admin.addUser("root", password: "rootpw")
            try await admin.addRole("root")
            try await admin.grantRole(user: "root", role: "root")
            try await admin.addRole("reader")
            try await admin.grantPermission(role: "reader", prefix: "ro/", access: .read)
            try await admin.addUser("reader", password: "readerpw")
            try await admin.grantRole(user: "reader", role: "reader")
            try await admin.enableAuth()
            // Still logged in as nobody: enableAuth logs in only with a user.
        }
        // Running it all again as root changes nothing.
        var root = etcdOptions(cluster)
        root.username = "root"
        root.password = "rootpw"
        try await withEtcd(cluster, root) { store in
            let admin = EtcdAuthAdmin(store)
            try await admin.addRole("reader")
            try await admin.addUser("reader", password: "readerpw")
            try await admin.grantRole(user: "reader", role: "reader")
            try await admin.enableAuth()
            #expect(try await admin.listRoles().sorted() == ["reader", "root"])
            #expect(try await admin.listUsers().sorted() == ["reader", "root"])
            try await store.put("ro/a", value: [1])
        }
    }

    @Test("a wrong password is refused as authenticationFailed, naming the user")
    func wrongPassword() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await enableAuth(cluster)
        var options = etcdOptions(cluster)
        options.username = "reader"
        options.password = "wrong"
        let error = await #expect(throws: DatastoreError.self) {
            _ = try await EtcdDatastore.connect(options, logger: testLogger)
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.reason.contains("reader") == true)
        #expect(error?.reason.contains("wrong") == false)
    }

    @Test("a read-only role may read but not write")
    func readOnly() async throws {
        let cluster = try await EtcdCluster.starting()
        defer { cluster.stop() }
        try await enableAuth(cluster)
        var options = etcdOptions(cluster)
        options.username = "reader"
        options.password = "readerpw"
        try await withEtcd(cluster, options) { store async throws in
            #expect(try await store.get("ro/a")?.value == [1])
            #expect(try await store.list(prefix: "ro/").items.count == 1)
            let put = await #expect(throws: DatastoreError.self) { try await store.put("ro/a", value: [2]) }
            #expect(put?.code == .permissionDenied)
            let read = await #expect(throws: DatastoreError.self) { _ = try await store.get("other") }
            #expect(read?.code == .permissionDenied)
        }
        // Without any user, auth refuses reads.
        let anonymous = await #expect(throws: DatastoreError.self) {
            try await withEtcd(cluster) { store in _ = try await store.get("ro/a") }
        }
        #expect(anonymous?.code == .authenticationFailed)
    }

    @Test("TLS with a client certificate works; without one the cluster refuses, saying why")
    func clientCertificates() async throws {
        let directory = try makeTemporaryDirectory()
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let tls = try EtcdTestTLS.generate(in: directory)
        let cluster = try await EtcdCluster.starting(tls: tls)
        defer { cluster.stop() }
        var options = etcdOptions(cluster)
        options.tls = EtcdTLSFiles(caFile: tls.caFile, certFile: tls.clientCertFile, keyFile: tls.clientKeyFile)
        try await withEtcd(cluster, options) { store async throws in
            let revision = try await store.put("t/a", value: [1])
            #expect(try await store.get("t/a")?.modRevision == revision)
        }
        options.tls = EtcdTLSFiles(caFile: tls.caFile)
        options.dialTimeout = .seconds(2)
        let error = await #expect(throws: DatastoreError.self) {
            _ = try await EtcdDatastore.connect(options, logger: testLogger)
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.reason.contains("client certificate") == true, "\(error?.reason ?? "")")
    }
}
