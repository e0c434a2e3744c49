import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshResources

/// `EndpointManager` against the host kernel, as root, inside the throwaway
/// namespace scripts/netns makes (never the machine's own):
///
///     scripts/netns env WGMESH_ROOT_TESTS=1 .build/debug/wgmeshPackageTests.xctest \
///         --testing-library swift-testing --filter EndpointRootTests </dev/null
///
/// Each test makes its pods with `ip netns add` (names carry our pid) and
/// deletes them after. Serialized: the tests share the main table and lo.
@Suite(.serialized, .enabled(if: getenv("WGMESH_ROOT_TESTS").map { String(cString: $0) } == "1"))
struct EndpointRootTests {
    /// Pod namespaces for one test, deleted when `body` returns.
    func withPods<T>(_ tags: [String], _ body: ([String]) async throws -> T) async throws -> T {
        let names = tags.map { "wgmt-\($0)-\(getpid())" }
        for name in names {
            _ = tool("ip", "netns", "del", name)
            try #require(tool("ip", "netns", "add", name).status == 0)
        }
        defer { for name in names { _ = tool("ip", "netns", "del", name) } }
        return try await body(names)
    }

    static func request(_ name: String, _ netns: String) -> EndpointRequest {
        EndpointRequest(name: name, namespace: "default", netnsPath: "/var/run/netns/\(netns)", labels: ["app": "web"])
    }

    /// Whether this process shares PID 1's network namespace: then the test
    /// must not change forwarding or lo, which belong to the machine.
    static var inMachineNamespace: Bool {
        var own = stat(), first = stat()
        guard stat("/proc/self/ns/net", &own) == 0, stat("/proc/1/ns/net", &first) == 0 else { return true }
        return own.st_ino == first.st_ino
    }

    @Test func addWiresBothSidesAndDeleteRemovesEverything() async throws {
        let fixture = try await EndpointFixture()
        try await withPods(["one"]) { pods in
            let endpoint = try await fixture.manager.add(Self.request("pod1", pods[0]), info: fixture.info)
            let veth = EndpointManager.hostInterfaceName(namespace: "default", name: "pod1")
            defer { _ = tool("ip", "link", "del", veth.rawValue) }

            // The record: the first free addresses (never a block's first), this node, the host veth.
            #expect(endpoint.spec.ips.map(\.description) == ["10.99.0.1/32", "fd00:99::1/128"])
            #expect(endpoint.spec.node == "node-a")
            #expect(endpoint.spec.interfaceName == veth)
            #expect(endpoint.metadata.labels == ["app": "web"])
            #expect(try await fixture.records() == [endpoint])

            // The host side.
            let link = tool("ip", "-j", "link", "show", "dev", veth.rawValue).output
            #expect(link.contains("\"mtu\":1400"))
            #expect(link.contains("\"address\":\"ee:ee:ee:ee:ee:ee\""))
            #expect(link.contains("\"UP\""))
            #expect(Sysctl.read(["net", "ipv4", "conf", veth.rawValue, "proxy_arp"]) == "1")
            let routes4 = tool("ip", "-j", "route", "show", "table", "main", "dev", veth.rawValue).output
            #expect(routes4.contains("\"dst\":\"10.99.0.1\""))
            #expect(routes4.contains("\"protocol\":\"119\"") || routes4.contains("\"protocol\":\"wgmesh\""))
            #expect(routes4.contains("\"scope\":\"link\""))
            let routes6 = tool("ip", "-6", "-j", "route", "show", "table", "main", "dev", veth.rawValue).output
            #expect(routes6.contains("\"dst\":\"fd00:99::1\""))

            // The pod side.
            let exec = ["ip", "netns", "exec", pods[0]]
            let podLink = tool(exec + ["ip", "-j", "addr", "show", "dev", "eth0"])
            #expect(podLink.output.contains("\"mtu\":1400"))
            #expect(podLink.output.contains("\"local\":\"10.99.0.1\",\"prefixlen\":32"))
            #expect(podLink.output.contains("\"local\":\"fd00:99::1\",\"prefixlen\":128"))
            #expect(tool(exec + ["ip", "-j", "link", "show", "dev", "lo"]).output.contains("\"UP\""))
            let podRoutes = tool(exec + ["ip", "-j", "route", "show"]).output
            #expect(podRoutes.contains("{\"dst\":\"default\",\"gateway\":\"169.254.1.1\",\"dev\":\"eth0\""))
            #expect(podRoutes.contains("{\"dst\":\"169.254.1.1\",\"dev\":\"eth0\""))
            let podRoutes6 = tool(exec + ["ip", "-6", "-j", "route", "show"]).output
            #expect(podRoutes6.contains("{\"dst\":\"default\",\"gateway\":\"fe80::ecee:eeff:feee:eeee\",\"dev\":\"eth0\""))

            if !Self.inMachineNamespace { try Self.expectPings(endpoint) }

            // Delete: link, its routes and the record go; a second delete finds nothing.
            #expect(try await fixture.manager.delete(name: "pod1", namespace: "default", node: "node-a"))
            #expect(tool("ip", "link", "show", "dev", veth.rawValue).status != 0)
            #expect(!tool("ip", "-j", "route", "show", "table", "main").output.contains("10.99.0.1"))
            #expect(!tool("ip", "-6", "-j", "route", "show", "table", "main").output.contains("fd00:99::1"))
            #expect(tool(exec + ["ip", "link", "show", "dev", "eth0"]).status != 0)
            #expect(try await fixture.records().isEmpty)
            #expect(try await fixture.manager.delete(name: "pod1", namespace: "default", node: "node-a") == false)
        }
    }

    /// Pings the pod from this namespace over IPv4 and IPv6. This namespace
    /// gets a source address on lo and, so the veth's proxy ARP answers for
    /// the pods' gateway 169.254.1.1, forwarding and a route to it through a
    /// spare link: a real node has both from its default route.
    static func expectPings(_ endpoint: WorkloadEndpoint) throws {
        _ = tool("ip", "addr", "add", "192.0.2.1/32", "dev", "lo")
        _ = tool("ip", "addr", "add", "2001:db8::1/128", "dev", "lo")
        _ = tool("ip", "link", "add", "wmt-uplink", "type", "ifb")
        _ = tool("ip", "link", "set", "wmt-uplink", "up")
        _ = tool("ip", "route", "add", "169.254.1.1/32", "dev", "wmt-uplink")
        defer {
            _ = tool("ip", "link", "del", "wmt-uplink")
            _ = tool("ip", "addr", "del", "192.0.2.1/32", "dev", "lo")
            _ = tool("ip", "addr", "del", "2001:db8::1/128", "dev", "lo")
        }
        try Sysctl.write(["net", "ipv4", "ip_forward"], "1")
        let v4 = endpoint.spec.ips[0].address.description, v6 = endpoint.spec.ips[1].address.description
        #expect(tool("ping", "-c", "1", "-w", "5", "-I", "192.0.2.1", v4).status == 0, "ping \(v4)")
        // The pod's IPv6 gateway is the veth's link-local address, usable once its DAD is done.
        #expect(tool("ping", "-6", "-c", "1", "-w", "8", "-I", "2001:db8::1", v6).status == 0, "ping \(v6)")
    }

    @Test func twoAddsGetDifferentAddressesAndADuplicateIsRefused() async throws {
        let fixture = try await EndpointFixture()
        try await withPods(["a", "b"]) { pods in
            let first = try await fixture.manager.add(Self.request("pod-a", pods[0]), info: fixture.info)
            defer { _ = tool("ip", "link", "del", first.spec.interfaceName.rawValue) }
            let second = try await fixture.manager.add(Self.request("pod-b", pods[1]), info: fixture.info)
            defer { _ = tool("ip", "link", "del", second.spec.interfaceName.rawValue) }
            #expect(first.spec.ips.map(\.description) == ["10.99.0.1/32", "fd00:99::1/128"])
            #expect(second.spec.ips.map(\.description) == ["10.99.0.2/32", "fd00:99::2/128"])
            #expect(first.spec.interfaceName != second.spec.interfaceName)

            let again = try await #require(throws: AgentError.self) {
                try await fixture.manager.add(Self.request("pod-a", pods[1]), info: fixture.info)
            }
            #expect(again.reason.contains("already exists"))
            #expect(try await fixture.records().count == 2)

            // A freed address is given again, lowest first.
            #expect(try await fixture.manager.delete(name: "pod-a", namespace: "default", node: "node-a"))
            let third = try await fixture.manager.add(Self.request("pod-c", pods[0]), info: fixture.info)
            defer { _ = tool("ip", "link", "del", third.spec.interfaceName.rawValue) }
            #expect(third.spec.ips.map(\.description) == ["10.99.0.1/32", "fd00:99::1/128"])
        }
    }

    @Test func failedWiringLeavesNoRecordAndNoLink() async throws {
        let fixture = try await EndpointFixture()
        try await withPods(["busy"]) { pods in
            // eth0 is taken in the pod, so the veth pair cannot be made.
            try #require(tool("ip", "netns", "exec", pods[0], "ip", "link", "add", "eth0", "type", "ifb").status == 0)
            let error = try await #require(throws: AgentError.self) {
                try await fixture.manager.add(Self.request("pod1", pods[0]), info: fixture.info)
            }
            #expect(error.reason.contains(pods[0]))
            #expect(error.reason.contains("removed again"))
            #expect(try await fixture.records().isEmpty)
            let veth = EndpointManager.hostInterfaceName(namespace: "default", name: "pod1").rawValue
            #expect(tool("ip", "link", "show", "dev", veth).status != 0)
            // The pod's own link is left alone.
            #expect(tool("ip", "netns", "exec", pods[0], "ip", "link", "show", "dev", "eth0").status == 0)
        }
    }
}
