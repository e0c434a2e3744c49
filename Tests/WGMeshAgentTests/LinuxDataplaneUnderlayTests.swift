import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshRouting
import WGMeshTestSupport

/// Underlay detection in a scratch namespace of its own (`ip netns add`), so
/// the default route it adds is seen by nobody else.
@Suite(.serialized, .enabled(if: DataplaneLive.enabled, "set WGMESH_ROOT_TESTS=1 and WGMESH_USERSPACE_TESTS=1 (root, netns)"))
struct LinuxDataplaneUnderlayTests {
    /// Runs `body` with a namespace holding `up0` (mtu 1450, up) and its veth peer.
    func withUplink(_ body: (String, LinuxDataplane) throws -> Void) throws {
        let namespace = "wgdp-u\(getpid() % 100_000)x\(DataplaneLive.unique())"
        DataplaneLive.tool("ip", "netns", "add", namespace)
        defer { DataplaneLive.tool("ip", "netns", "del", namespace) }
        DataplaneLive.tool("ip", "-n", namespace, "link", "set", "lo", "up")
        DataplaneLive.tool("ip", "-n", namespace, "link", "add", "up0", "type", "veth", "peer", "name", "up0p")
        DataplaneLive.tool("ip", "-n", namespace, "link", "set", "up0", "mtu", "1450", "up")
        DataplaneLive.tool("ip", "-n", namespace, "link", "set", "up0p", "up")
        let dataplane = LinuxDataplane(settings: DataplaneLive.settings(stateDirectory: nil), logger: DataplaneLive.logger())
        try body(namespace, dataplane)
    }

    /// `underlay(configured:)` run inside `namespace`.
    func underlay(_ dataplane: LinuxDataplane, in namespace: String, configured: [IPAddress] = []) throws -> Underlay {
        let handle = try NetworkNamespace(path: "/run/netns/\(namespace)")
        return try handle.withEntered { () throws -> Underlay in try dataplane.underlay(configured: configured) }.get()
    }

    @Test func theDefaultRoutesLinkAndItsFirstGlobalAddresses() throws {
        try withUplink { namespace, dataplane in
            DataplaneLive.tool("ip", "-n", namespace, "addr", "add", "192.0.2.10/24", "dev", "up0")
            DataplaneLive.tool("ip", "-n", namespace, "addr", "add", "192.0.2.11/24", "dev", "up0")
            DataplaneLive.tool("ip", "-n", namespace, "addr", "add", "2001:db8::10/64", "dev", "up0", "nodad")
            DataplaneLive.tool("ip", "-n", namespace, "route", "add", "default", "via", "192.0.2.1", "dev", "up0")
            let found = try underlay(dataplane, in: namespace)
            #expect(found.linkName == "up0")
            #expect(found.mtu == 1450)
            #expect(found.addresses == [try IPAddress("192.0.2.10"), try IPAddress("2001:db8::10")])
        }
    }

    @Test func anIPv6DefaultRouteWhenThereIsNoIPv4One() throws {
        try withUplink { namespace, dataplane in
            DataplaneLive.tool("ip", "-n", namespace, "addr", "add", "2001:db8::20/64", "dev", "up0", "nodad")
            DataplaneLive.tool("ip", "-n", namespace, "-6", "route", "add", "default", "via", "2001:db8::1", "dev", "up0")
            let found = try underlay(dataplane, in: namespace)
            #expect(found.linkName == "up0")
            #expect(found.addresses == [try IPAddress("2001:db8::20")])
        }
    }

    @Test func configuredAddressesMustBeLocal() throws {
        try withUplink { namespace, dataplane in
            DataplaneLive.tool("ip", "-n", namespace, "addr", "add", "192.0.2.10/24", "dev", "up0")
            let local = try underlay(dataplane, in: namespace, configured: [try IPAddress("192.0.2.10")])
            #expect(local == Underlay(addresses: [try IPAddress("192.0.2.10")], linkName: "up0", mtu: 1450))

            let error = try #require(throws: AgentError.self) {
                try underlay(dataplane, in: namespace, configured: [try IPAddress("192.0.2.10"), try IPAddress("203.0.113.7")])
            }
            #expect(error.code == .hostNetwork)
            #expect(error.reason.contains("203.0.113.7 is not an address of this machine"))
            #expect(error.reason.contains("--address"))
        }
    }

    @Test func noDefaultRouteSaysToPassAnAddress() throws {
        try withUplink { namespace, dataplane in
            DataplaneLive.tool("ip", "-n", namespace, "addr", "add", "192.0.2.10/24", "dev", "up0")
            let error = try #require(throws: AgentError.self) { try underlay(dataplane, in: namespace) }
            #expect(error.code == .hostNetwork)
            #expect(error.reason.contains("no default route: pass --address"))
        }
    }
}
