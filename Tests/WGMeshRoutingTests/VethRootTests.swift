import Glibc
import Testing
import WGMeshCore
@testable import WGMeshRouting

/// Veth pairs and other namespaces against the host kernel, as root, inside
/// the throwaway namespace scripts/netns makes (see RoutingRootTests). Each
/// test adds its own `ip netns` (a name with our pid) and deletes it after.
@Suite(.serialized, .enabled(if: getenv("WGMESH_ROOT_TESTS").map { String(cString: $0) } == "1"))
struct VethRootTests {
    let client: RoutingClient

    init() throws {
        client = try RoutingClient()
    }

    /// A fresh named netns, deleted (with whatever is in it) when `body` returns.
    func withNamespace(_ tag: String, _ body: (String, NetworkNamespace) throws -> Void) throws {
        let name = "wgmt-\(tag)-\(getpid())"
        _ = run("ip", "netns", "del", name)
        try #require(run("ip", "netns", "add", name).status == 0)
        defer { _ = run("ip", "netns", "del", name) }
        try body(name, try NetworkNamespace(path: "/var/run/netns/\(name)"))
    }

    @Test func vethPairIsMadeWithItsPeerInTheOtherNamespace() throws {
        try withNamespace("pair") { name, namespace in
            let host: InterfaceName = "wmt-pair"
            try client.createVethPair(named: host, mac: .hostVeth, mtu: 1400, peer: "eth0", in: namespace)
            defer { try? client.deleteLink(named: host) }

            let hostSide = run("ip", "-j", "link", "show", "dev", "wmt-pair").output
            #expect(hostSide.contains("\"mtu\":1400"))
            #expect(hostSide.contains("\"address\":\"ee:ee:ee:ee:ee:ee\""))
            #expect(try client.link(named: host).kind == "veth")
            // The peer is not here ...
            #expect(run("ip", "link", "show", "dev", "eth0").status != 0)
            // ... but there, with the same MTU.
            let podSide = run("ip", "netns", "exec", name, "ip", "-j", "link", "show", "dev", "eth0").output
            #expect(podSide.contains("\"mtu\":1400"))

            let pod = try RoutingClient(networkNamespace: namespace)
            #expect(try pod.link(named: "eth0").mtu == 1400)
            #expect(try pod.links().map(\.name).sorted() == ["eth0", "lo"])
            try pod.setLink(named: "eth0", up: true)
            try pod.addAddress(try IPNetwork("fd00:77::5/128"), to: "eth0", skippingDAD: true)
            try pod.addAddress(try IPNetwork("10.77.0.5/32"), to: "eth0", skippingDAD: false)
            let addresses = run("ip", "netns", "exec", name, "ip", "-j", "addr", "show", "dev", "eth0").output
            #expect(addresses.contains("\"local\":\"10.77.0.5\",\"prefixlen\":32"))
            #expect(addresses.contains("\"local\":\"fd00:77::5\",\"prefixlen\":128"))
            #expect(addresses.contains("\"nodad\":true"))
            #expect(!addresses.contains("tentative"))
            // Our own thread is back home: this client still sees the host side.
            #expect(try client.link(named: host).name == "wmt-pair")

            try client.deleteLink(named: host)
            #expect(run("ip", "netns", "exec", name, "ip", "link", "show", "dev", "eth0").status != 0)
        }
    }

    @Test func takenNamesAreRefusedAndNothingIsLeft() throws {
        try withNamespace("taken") { name, namespace in
            let pod = try RoutingClient(networkNamespace: namespace)
            try pod.createLink(named: "eth0", kind: "ifb")
            let error = try #require(throws: RoutingError.self) {
                try client.createVethPair(named: "wmt-taken", peer: "eth0", in: namespace)
            }
            #expect(error.code == .exists)
            #expect(error.reason.contains("wmt-taken"))
            #expect(run("ip", "link", "show", "dev", "wmt-taken").status != 0)
            _ = name
        }
    }

    @Test func linksAreRenamedGivenAMACAndMoved() throws {
        try withNamespace("move") { name, namespace in
            try client.createVethPair(named: "wmt-a", peer: "wmt-b")
            defer { try? client.deleteLink(named: "wmt-a") }
            let mac = try #require(MACAddress("02:00:5e:00:00:42"))
            try client.setLinkMAC(named: "wmt-b", mac)
            try client.renameLink(named: "wmt-b", to: "wmt-c")
            #expect(run("ip", "-j", "link", "show", "dev", "wmt-c").output.contains("\"address\":\"02:00:5e:00:00:42\""))
            try client.moveLink(named: "wmt-c", to: namespace)
            #expect(run("ip", "link", "show", "dev", "wmt-c").status != 0)
            #expect(run("ip", "netns", "exec", name, "ip", "link", "show", "dev", "wmt-c").status == 0)
            #expect(try RoutingClient(networkNamespace: namespace).link(named: "wmt-c").kind == "veth")
        }
    }
}
