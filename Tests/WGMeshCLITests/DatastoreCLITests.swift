import Glibc
import Testing
import WGMeshCore
import WGMeshTestSupport

/// `wgmesh apply/get/delete` run as a user runs them: the built binary
/// against a real datastore (SQLite always, etcd with WGMESH_ETCD_TESTS=1).
@Suite struct DatastoreCLITests {
    typealias Fixture = DatastoreCLIFixture
    typealias Docs = DatastoreCLIDocuments

    @Test(arguments: Fixture.Backend.enabled)
    func applyGetDeleteRoundTrip(backend: Fixture.Backend) throws {
        let store = try Fixture(backend)
        let file = try store.file("nodes.yaml", [Docs.pool, Docs.node("a", key: Docs.keyA, address: "192.0.2.1")]
            .joined(separator: "\n---\n"))

        let created = try store.wgmesh(["apply", "-f", file])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput == "ippool/pool-a created\nnode/a created\n")

        let again = try store.wgmesh(["apply", "-f", file])
        #expect(again.standardOutput == "ippool/pool-a unchanged\nnode/a unchanged\n")

        let changed = try store.wgmesh(["apply", "-f", "-"],
                                       input: Docs.node("a", key: Docs.keyA, address: "192.0.2.1", port: 51821))
        #expect(changed.standardOutput == "node/a configured\n")

        let table = try store.wgmesh(["get", "nodes"])
        #expect(table.status == 0)
        #expect(table.standardOutput.hasPrefix("NAME   ADDRESSES   PUBLIC-KEY"))
        #expect(table.standardOutput.contains("a      192.0.2.1   \(Docs.keyA)   <none>\n"))
        #expect(!table.standardOutput.contains("LISTEN-PORT"))

        let wide = try store.wgmesh(["get", "node", "a", "-o", "wide"])
        #expect(wide.standardOutput.contains("LISTEN-PORT   INTERFACE-IPS"))
        #expect(wide.standardOutput.contains("51821         10.99.0.1\n"))

        let yaml = try store.wgmesh(["get", "node", "a", "-o", "yaml"])
        #expect(yaml.standardOutput.contains("kind: Node"))
        #expect(yaml.standardOutput.contains("listenPort: 51821"))
        #expect(!yaml.standardOutput.contains("---"))

        let one = try store.wgmesh(["get", "node", "a", "-o", "json"])
        #expect(one.standardOutput.hasPrefix("{\n  \"apiVersion\": \"wgmesh.io/v1\",\n  \"kind\": \"Node\""))
        let list = try store.wgmesh(["get", "nodes", "-o", "json"])
        #expect(list.standardOutput.hasPrefix("{\n  \"items\": [\n    {\n      \"apiVersion\""))

        // What get prints, apply takes back: nothing to change.
        for output in [yaml, one, list] {
            let back = try store.wgmesh(["apply", "-f", "-"], input: output.standardOutput)
            #expect(back.standardOutput == "node/a unchanged\n", "\(back.standardError)")
        }

        let deleted = try store.wgmesh(["delete", "node", "a"])
        #expect(deleted.status == 0)
        #expect(deleted.standardOutput == "node/a deleted\n")
        let gone = try store.wgmesh(["get", "node", "a"])
        #expect(gone.status == 1)
        #expect(gone.standardError == "Error: node \"a\" not found\n")
        let none = try store.wgmesh(["get", "nodes"])
        #expect(none.status == 0)
        #expect(none.standardOutput == "")
        #expect(none.standardError == "No nodes found.\n")
        let emptyJSON = try store.wgmesh(["get", "nodes", "-o", "json"])
        #expect(emptyJSON.standardOutput == "{\n  \"items\": []\n}\n")
        let deleteAgain = try store.wgmesh(["delete", "node", "a"])
        #expect(deleteAgain.status == 1)
        #expect(deleteAgain.standardError == "Error: node \"a\" not found\n")
    }

    @Test(arguments: Fixture.Backend.enabled)
    func namespacedEndpointsAndNodeDeletionReleasesBlocks(backend: Fixture.Backend) throws {
        let store = try Fixture(backend)
        let applied = try store.wgmesh(["apply", "-f", "-"], input: Docs.cluster)
        #expect(applied.status == 0, "\(applied.standardError)")
        #expect(applied.standardOutput.hasSuffix("workloadendpoint/web-0 created\n"))

        let endpoints = try store.wgmesh(["get", "wep", "-o", "wide"])
        #expect(endpoints.standardOutput == """
            NAMESPACE   NAME    NODE   IPS             INTERFACE
            shop        web-0   a      10.244.0.5/32   wgm1

            """)
        let elsewhere = try store.wgmesh(["get", "wep", "web-0", "--namespace", "other"])
        #expect(elsewhere.status == 1)
        #expect(elsewhere.standardError == "Error: workloadendpoint \"web-0\" not found in namespace \"other\"\n")
        let noNamespace = try store.wgmesh(["delete", "wep", "web-0"])
        #expect(noNamespace.status == 1)
        #expect(noNamespace.standardError.contains("give --namespace"))
        let poolNamespace = try store.wgmesh(["get", "ippools", "--namespace", "shop"])
        #expect(poolNamespace.status == 1)
        #expect(poolNamespace.standardError.contains("ippools have no namespace"))

        #expect(try store.wgmesh(["delete", "node", "a"]).status == 0)
        let affinities = try store.wgmesh(["get", "blockaffinities"])
        #expect(affinities.standardError == "No blockaffinities found.\n")
        let orphans = try store.wgmesh(["get", "workloadendpoints"])
        #expect(orphans.standardError == "No workloadendpoints found.\n")
    }

    @Test(arguments: ["node", "nodes", "Node", "NODES", "no", "ippool", "ippools", "IPPool", "IPPools", "pools"])
    func kindsAreCaseInsensitiveSingularPluralOrShort(kind: String) throws {
        let store = try Fixture(.sqlite)
        let file = try store.file("all.yaml", [Docs.pool, Docs.node("a", key: Docs.keyA, address: "192.0.2.1")]
            .joined(separator: "\n---\n"))
        #expect(try store.wgmesh(["apply", "-f", file]).status == 0)
        let result = try store.wgmesh(["get", kind, "-o", "json"])
        #expect(result.status == 0)
        let expected = kind.lowercased().hasPrefix("n") ? "\"kind\": \"Node\"" : "\"kind\": \"IPPool\""
        #expect(result.standardOutput.contains(expected))
    }

    @Test func unknownKindsAndFieldsAreNamed() throws {
        let store = try Fixture(.sqlite)
        let get = try store.wgmesh(["get", "gadgets"])
        #expect(get.status == 1)
        #expect(get.standardError.hasPrefix("Error: unknown kind 'gadgets'; known kinds: node (nodes), ippool"))

        let delete = try store.wgmesh(["delete", "gadget", "x"])
        #expect(delete.status == 1)
        #expect(delete.standardError.contains("unknown kind 'gadget'"))

        let kind = try store.wgmesh(["apply", "-f", "-"], input: """
            apiVersion: wgmesh.io/v1
            kind: Gadget
            metadata:
              name: g
            spec: {}
            """)
        #expect(kind.status == 1)
        #expect(kind.standardError.contains("Gadget"))

        let field = try store.wgmesh(["apply", "-f", "-"], input: Docs.pool + "\n  blockSise: 24\n")
        #expect(field.status == 1)
        #expect(field.standardError.contains("blockSise"))
        #expect(try store.wgmesh(["get", "ippools"]).standardError == "No ippools found.\n")
    }

    @Test(arguments: Fixture.Backend.enabled)
    func aMultiDocumentApplyIsAllOrNothing(backend: Fixture.Backend) throws {
        let store = try Fixture(backend)
        let badThird = """
            apiVersion: wgmesh.io/v1
            kind: IPPool
            metadata:
              name: pool-b
            spec:
              cidr: 10.245.0.0/33
            """
        let input = [Docs.pool, Docs.node("a", key: Docs.keyA, address: "192.0.2.1"), badThird]
            .joined(separator: "\n---\n")
        let result = try store.wgmesh(["apply", "-f", "-"], input: input)
        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        #expect(result.standardError.contains("document 3"))
        #expect(try store.wgmesh(["get", "ippools", "-o", "json"]).standardOutput == "{\n  \"items\": []\n}\n")
        #expect(try store.wgmesh(["get", "nodes", "-o", "json"]).standardOutput == "{\n  \"items\": []\n}\n")

        // A batch that fails a rule across records (two nodes, one key) writes nothing either.
        let sharedKey = [Docs.pool, Docs.node("a", key: Docs.keyA, address: "192.0.2.1"),
                         Docs.node("b", key: Docs.keyA, address: "192.0.2.2")].joined(separator: "\n---\n")
        let clash = try store.wgmesh(["apply", "-f", "-"], input: sharedKey)
        #expect(clash.status == 1)
        #expect(clash.standardError.contains("public key"))
        #expect(try store.wgmesh(["get", "nodes", "-o", "json"]).standardOutput == "{\n  \"items\": []\n}\n")
    }

    @Test func aStaleResourceVersionIsAConflictThatWritesNothing() throws {
        let store = try Fixture(.sqlite)
        #expect(try store.wgmesh(["apply", "-f", "-"], input: Docs.pool).status == 0)
        let read = try store.wgmesh(["get", "ippool", "pool-a", "-o", "yaml"]).standardOutput
        let changed = Docs.pool.replacingBlockSize(27)
        #expect(try store.wgmesh(["apply", "-f", "-"], input: changed).standardOutput == "ippool/pool-a configured\n")
        // `read` carries the old resourceVersion: applying it back must not
        // silently undo the change above.
        let stale = try store.wgmesh(["apply", "-f", "-"], input: read.replacingBlockSize(28))
        #expect(stale.status == 1)
        #expect(stale.standardOutput == "")
        #expect(try store.wgmesh(["get", "ippool", "pool-a", "-o", "yaml"]).standardOutput.contains("blockSize: 27"))
    }

    @Test func emptyInputAndMissingFilesAreClearErrors() throws {
        let store = try Fixture(.sqlite)
        let empty = try store.wgmesh(["apply", "-f", "-"], input: "\n---\n")
        #expect(empty.status == 1)
        #expect(empty.standardError == "Error: standard input holds no resources\n")
        let missing = try store.wgmesh(["apply", "-f", store.directory + "/nope.yaml"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("cannot open \(store.directory)/nope.yaml"))
    }

    /// Only apply creates a missing SQLite file: a mistyped path in a read is
    /// an error, not an empty cluster, and leaves no file behind.
    @Test func aMissingSQLiteFileIsCreatedByApplyOnly() throws {
        let store = try Fixture(.sqlite)
        let typo = store.directory + "/typo/datastore.db"
        for arguments in [["get", "nodes"], ["delete", "ippool", "p"], ["status", "--cluster"], ["graph"],
                          ["rotate-key", "--node", "n1"]] {
            let result = try runProcess(try Fixture.binary(), arguments + ["--datastore", "sqlite://" + typo])
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains("there is no SQLite datastore at \(typo)"), "\(arguments): \(result.standardError)")
        }
        var info = stat()
        #expect(stat(store.directory + "/typo", &info) != 0, "a read created the directory")

        let applied = try runProcess(try Fixture.binary(), ["apply", "-f", "-", "--datastore", "sqlite://" + typo],
                                     input: Array(Docs.pool.utf8))
        #expect(applied.status == 0, "\(applied.standardError)")
        #expect(stat(typo, &info) == 0)
    }

    @Test func bothProgramsPrintTheirVersion() throws {
        let wgmesh = try runProcess(try Fixture.binary(), ["--version"])
        #expect(wgmesh.status == 0)
        #expect(wgmesh.standardOutput == WGMeshVersion.current + "\n")
        let daemon = try runProcess(Fixture.packageRoot + "/.build/debug/wgmeshd", ["--version"])
        #expect(daemon.standardOutput == WGMeshVersion.current + "\n")
    }

    @Test func datastoreOptionsMustFitTheURL() throws {
        let store = try Fixture(.sqlite)
        let user = try store.wgmesh(["get", "nodes", "--etcd-user", "root"])
        #expect(user.status == 1)
        #expect(user.standardError.contains("do not apply to sqlite://"))

        let badURL = try runProcess(try Fixture.binary(), ["get", "nodes", "--datastore", "etcd://[::1"])
        #expect(badURL.status == 1)
        #expect(badURL.standardError.contains("Accepted forms: sqlite:///absolute/path"))

        let password = try store.file("password", "secret\n", mode: 0o644)
        let openFile = try runProcess(try Fixture.binary(), [
            "get", "nodes", "--datastore", "etcd://127.0.0.1:1", "--etcd-user", "root", "--etcd-password-file", password,
        ])
        #expect(openFile.status == 1)
        #expect(openFile.standardError.contains("is readable by other users (mode 644): run chmod 600"))
        #expect(!openFile.standardError.contains("secret"))
    }

    @Test(arguments: [
        (["apply", "--help"], ["all-or-nothing", "one transaction", "nothing is written", "At most 100"]),
        (["get", "--help"], ["sqlite:///absolute/path", "sqlite:relative/path", "etcds://", "WGMESH_DATASTORE",
                             "sqlite:///var/lib/wgmesh/datastore.db", "{\"items\": [...]}", "case-insensitive"]),
        (["delete", "--help"], ["--namespace", "--etcd-password-file"]),
    ])
    func helpExplainsTheRules(arguments: [String], phrases: [String]) throws {
        let result = try runProcess(try Fixture.binary(), arguments)
        #expect(result.status == 0)
        let text = result.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in phrases { #expect(text.contains(phrase), "\(arguments) --help lacks '\(phrase)'") }
    }
}

extension String {
    /// The same YAML with `blockSize:` set to `size`.
    fileprivate func replacingBlockSize(_ size: Int) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.trimmingPrefix(while: { $0 == " " }).hasPrefix("blockSize:")
                ? String(line.prefix { $0 == " " }) + "blockSize: \(size)" : String(line)
        }.joined(separator: "\n")
    }
}
