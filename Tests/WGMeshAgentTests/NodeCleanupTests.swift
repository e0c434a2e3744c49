import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshRouting
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

/// Against the host kernel, as root, in a network namespace of its own (made and removed by the
/// test, entered by this thread): the cleanup deletes every veth named like an endpoint's host
/// end, so in a shared namespace it would take EndpointRootTests' veths while they run.
@Suite(.serialized, .enabled(if: getenv("WGMESH_ROOT_TESTS").map { String(cString: $0) } == "1"))
struct NodeCleanupRootTests {
    static func ip(_ arguments: String...) throws -> ProcessResult {
        try runProcess("/usr/sbin/ip", arguments)
    }

    @Test func removesEndpointVethsAndLeavesOtherLinks() throws {
        let name = "wgmt-cleanup-\(getpid())"
        try #require(try Self.ip("netns", "add", name).status == 0)
        defer { _ = try? Self.ip("netns", "del", name) }
        let namespace = try NetworkNamespace(path: "/var/run/netns/" + name)
        // Processes spawned from this thread (ip) start in the namespace it entered.
        try namespace.withEntered { () throws -> Void in try Self.removesEndpointVethsInside() }.get()
    }

    static func removesEndpointVethsInside() throws {
        #expect(try ip("link", "add", "wm0123456789a", "type", "veth", "peer", "name", "wmt-pod-a").status == 0)
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
