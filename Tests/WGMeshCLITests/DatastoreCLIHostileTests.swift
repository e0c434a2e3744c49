import Glibc
import Testing
import WGMeshTestSupport

/// A record written around the CLI (garbage, or a forged owner) is skipped
/// by `wgmesh get` with a warning naming its key, and the good records around
/// it print as before.
@Suite struct DatastoreCLIHostileTests {
    typealias Fixture = DatastoreCLIFixture
    typealias Docs = DatastoreCLIDocuments

    /// Writes raw bytes at `key`, bypassing every check, as a broken node would.
    private func writeRaw(_ store: Fixture, key: String, value: String) throws {
        let tool = Fixture.packageRoot + "/.build/debug/wgmesh-dstool"
        try #require(access(tool, X_OK) == 0, "\(tool) is missing: run swift build --build-tests first")
        let result = try runProcess(tool, ["put", store.url, key, value])
        try #require(result.status == 0, "\(result.standardError)")
    }

    @Test(arguments: Fixture.Backend.enabled)
    func getSkipsAndReportsBadRecords(backend: Fixture.Backend) throws {
        let store = try Fixture(backend)
        let file = try store.file("a.yaml", [Docs.pool, Docs.node("a", key: Docs.keyA, address: "192.0.2.1")]
            .joined(separator: "\n---\n"))
        #expect(try store.wgmesh(["apply", "-f", file]).status == 0)
        try writeRaw(store, key: "/wgmesh/v1/nodes/evil", value: "{not json")
        // Valid JSON for node "b", stored under the key of node "c".
        try writeRaw(store, key: "/wgmesh/v1/nodes/c",
                     value: #"{"apiVersion":"wgmesh.io/v1","kind":"Node","metadata":{"name":"b"},"spec":{}}"#)

        let listed = try store.wgmesh(["get", "nodes"])
        #expect(listed.status == 0)
        #expect(listed.standardOutput.contains("a      192.0.2.1   \(Docs.keyA)"))
        #expect(!listed.standardOutput.contains("evil"))
        #expect(!listed.standardOutput.contains("\nb "))
        #expect(listed.standardError.contains("Warning: skipped bad record /wgmesh/v1/nodes/evil"))
        #expect(listed.standardError.contains("Warning: skipped bad record /wgmesh/v1/nodes/c"))

        let named = try store.wgmesh(["get", "node", "a", "-o", "json"])
        #expect(named.status == 0)
        #expect(named.standardOutput.contains("\"name\": \"a\""))
    }
}
