import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshTestSupport

/// Which links `wgmeshd --cleanup` takes for endpoint veths.
@Suite struct NodeCleanupTests {
    @Test(arguments: [
        ("wm0123456789a", true),
        ("wmfffffffffff", true),
        ("wm0123456789", false),  // 10 digits
        ("wm0123456789ab", false),  // 12 digits
        ("wm0123456789A", false),  // uppercase is not what the hash prints
        ("wm012345678z9", false),
        ("wx0123456789a", false),
        ("eth0", false),
        ("wgmesh0", false),
    ])
    func endpointHostNames(name: String, matches: Bool) {
        #expect(NodeCleanup.isEndpointHostInterface(name) == matches)
    }

    @Test(arguments: [("default", "web"), ("kube-system", "dns-0"), ("a", "b")])
    func everyNameTheManagerMakesMatches(namespace: String, name: String) {
        let made = EndpointManager.hostInterfaceName(namespace: namespace, name: name)
        #expect(NodeCleanup.isEndpointHostInterface(made.description))
    }
}

/// Against the host kernel, as root, in a throwaway network namespace:
///
///     unshare --net env WGMESH_ROOT_TESTS=1 .build/debug/wgmeshPackageTests.xctest \
///         --testing-library swift-testing --filter NodeCleanupRootTests </dev/null
///
/// It refuses to run in the host's own namespace, where it would delete
/// real endpoint veths.
@Suite(.serialized, .enabled(if: getenv("WGMESH_ROOT_TESTS").map { String(cString: $0) } == "1"))
struct NodeCleanupRootTests {
    /// Whether this process sits in a fresh network namespace: one whose
    /// only link is `lo` (the host's namespace always has more).
    static func inFreshNamespace() throws -> Bool {
        let links = try ip("-o", "link", "show").standardOutput.split(separator: "\n")
        return links.count == 1 && links[0].contains(": lo:")
    }

    static func ip(_ arguments: String...) throws -> ProcessResult {
        try runProcess("/usr/sbin/ip", arguments)
    }

    @Test func removesEndpointVethsAndLeavesOtherLinks() throws {
        guard try Self.inFreshNamespace() else {
            Issue.record("run this suite under unshare --net: it deletes veths named like endpoint host ends")
            return
        }
        #expect(try Self.ip("link", "add", "wm0123456789a", "type", "veth", "peer", "name", "wmt-pod-a").status == 0)
        #expect(try Self.ip("link", "add", "wmt-keep", "type", "veth", "peer", "name", "wmt-keep-p").status == 0)
        #expect(try Self.ip("link", "add", "wm0123456789z", "type", "veth", "peer", "name", "wmt-pod-z").status == 0)
        defer {
            _ = try? Self.ip("link", "del", "wmt-keep")
            _ = try? Self.ip("link", "del", "wm0123456789z")
            _ = try? Self.ip("link", "del", "wm0123456789a")
        }
        var config = AgentConfig(nodeName: "node-a", datastore: "sqlite:///nonexistent/never-opened.db")
        config.interfaceName = try InterfaceName("wgmt-cln\(getpid() % 10000)")
        config.stateDirectory = try makeTemporaryDirectory(prefix: "wgmesh-cleanup")

        let lines = try NodeCleanup.run(config: config, logger: CapturedLogs().logger())

        #expect(lines.contains("deleted endpoint veth wm0123456789a and its routes"))
        #expect(try Self.ip("link", "show", "dev", "wm0123456789a").status != 0)
        #expect(try Self.ip("link", "show", "dev", "wmt-pod-a").status != 0)
        #expect(try Self.ip("link", "show", "dev", "wmt-keep").status == 0)
        #expect(try Self.ip("link", "show", "dev", "wm0123456789z").status == 0)
        // Nothing of wgmesh's was there: a second run removes nothing.
        #expect(try NodeCleanup.run(config: config, logger: CapturedLogs().logger()).isEmpty)
    }
}
