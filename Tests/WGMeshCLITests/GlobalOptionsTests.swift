import Testing
@testable import WGMeshCLI
import WGMeshTestSupport

/// `--datastore` and the node options before the subcommand, as kubectl takes its global flags.
@Suite struct GlobalOptionsTests {
    @Test(arguments: [
        (["--datastore", "sqlite:///x", "get", "nodes"], ["get", "nodes", "--datastore", "sqlite:///x"]),
        (["--datastore=sqlite:///x", "get", "nodes"], ["get", "nodes", "--datastore=sqlite:///x"]),
        (["--etcd-user", "u", "--datastore", "etcd://a", "delete", "node", "n"],
         ["delete", "node", "n", "--etcd-user", "u", "--datastore", "etcd://a"]),
        (["--node-name", "n1", "endpoint", "add", "--", "--odd"], ["endpoint", "add", "--node-name", "n1", "--", "--odd"]),
        // Unchanged: nothing global in front, a missing value, only options, an unknown option first.
        (["get", "nodes", "--datastore", "x"], ["get", "nodes", "--datastore", "x"]),
        (["--datastore"], ["--datastore"]),
        (["--datastore", "x"], ["--datastore", "x"]),
        (["--verbose", "--datastore", "x", "get"], ["--verbose", "--datastore", "x", "get"]),
    ])
    func hoisting(input: [String], expected: [String]) {
        #expect(WGMeshCommand.hoistingGlobalOptions(input) == expected)
    }

    @Test func theParserSeesTheOptionOnTheSubcommand() throws {
        let parsed = try WGMeshCommand.parseAsRoot(
            WGMeshCommand.hoistingGlobalOptions(["--datastore", "sqlite:///tmp/x.db", "get", "nodes"]))
        let get = try #require(parsed as? GetCommand)
        #expect(get.datastore.datastore == "sqlite:///tmp/x.db")
    }

    /// The built binary, both orders, against a real SQLite store: the same output.
    @Test func bothOrdersWorkInTheBinary() throws {
        let store = try DatastoreCLIFixture(.sqlite)
        let before = try runProcess(try DatastoreCLIFixture.binary(), ["--datastore", store.url, "get", "ippools"])
        #expect(before.status == 0, "\(before.standardError)")
        let after = try store.wgmesh(["get", "ippools"])
        #expect(after.status == 0)
        #expect(before.standardOutput == after.standardOutput)
        #expect(before.standardError == after.standardError)
        // A command without the option still names it as unknown.
        let genkey = try runProcess(try DatastoreCLIFixture.binary(), ["--datastore", store.url, "pubkey"])
        #expect(genkey.status != 0)
        #expect(genkey.standardError.contains("--datastore"))
    }
}
