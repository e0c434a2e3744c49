import Glibc
import Testing
import WGMeshCore
@testable import WGMeshRouting

/// The veth and link requests, byte for byte, and MAC addresses.
@Suite struct VethRequestTests {
    @Test func vethPairIsOneRequestWithThePeerNested() throws {
        let mac = try #require(MACAddress("ee:ee:ee:ee:ee:ee"))
        let message = Link.vethRequest(name: "wm1", mac: mac, mtu: 1400, peer: "eth0", peerNamespaceFD: 7)
        let expected: [UInt8] = [
            // ifinfomsg
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            // IFLA_IFNAME "wm1\0"
            8, 0, 3, 0, 0x77, 0x6d, 0x31, 0,
            // IFLA_MTU 1400
            8, 0, 4, 0, 0x78, 0x05, 0, 0,
            // IFLA_ADDRESS, 6 bytes + 2 padding
            10, 0, 1, 0, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0, 0,
            // IFLA_LINKINFO (nested): 4 + 8 + 52 = 64
            64, 0, 18, 0x80,
            // IFLA_INFO_KIND "veth"
            8, 0, 1, 0, 0x76, 0x65, 0x74, 0x68,
            // IFLA_INFO_DATA (nested): 4 + 48 = 52
            52, 0, 2, 0x80,
            // VETH_INFO_PEER (nested): 4 + ifinfomsg 16 + IFNAME 12 + MTU 8 + NS_FD 8 = 48
            48, 0, 1, 0x80,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            // IFLA_IFNAME "eth0\0" (length 9, padded to 12)
            9, 0, 3, 0, 0x65, 0x74, 0x68, 0x30, 0, 0, 0, 0,
            8, 0, 4, 0, 0x78, 0x05, 0, 0,
            // IFLA_NET_NS_FD 7
            8, 0, 28, 0, 7, 0, 0, 0,
        ]
        #expect(message.type == 16)
        #expect(message.flags == 0x600)
        #expect(Array(message.payload) == expected)
    }

    @Test func withoutOptionsOnlyNamesAndKindAreSent() {
        let message = Link.vethRequest(name: "a", mac: nil, mtu: nil, peer: "b", peerNamespaceFD: nil)
        let payload = Array(message.payload)
        // ifinfomsg 16, IFNAME 8, LINKINFO 4 + KIND 8 + DATA 4 + PEER 4 + ifinfomsg 16 + IFNAME 8.
        #expect(payload.count == 16 + 8 + 4 + 8 + 4 + 4 + 16 + 8)
    }

    @Test func moveRenameAndMACTargetTheIndex() {
        let move = Array(Link.moveRequest(index: 5, namespaceFD: 9).payload)
        #expect(move == [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 28, 0, 9, 0, 0, 0])
        let rename = Array(Link.renameRequest(index: 5, to: "eth1").payload)
        #expect(rename.suffix(12) == [9, 0, 3, 0, 0x65, 0x74, 0x68, 0x31, 0, 0, 0, 0])
        let mac = Array(Link.macRequest(index: 5, mac: MACAddress(bytes: [2, 0, 0, 0, 0, 1])!).payload)
        #expect(mac.suffix(12) == [10, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 0])
    }

    @Test(arguments: [
        ("ee:ee:ee:ee:ee:ee", "fe80::ecee:eeff:feee:eeee"),
        ("02:00:00:00:00:01", "fe80::0:ff:fe00:1"),
        ("AA:bb:0c:00:10:ff", "fe80::a8bb:cff:fe00:10ff"),
    ])
    func macParsesPrintsAndGivesTheKernelsLinkLocal(text: String, linkLocal: String) throws {
        let mac = try #require(MACAddress(text))
        #expect(mac.description == text.lowercased())
        #expect(mac.linkLocalIPv6 == linkLocal)
        // Same address, whatever spelling: compare as addresses.
        #expect(try IPAddress(mac.linkLocalIPv6) == IPAddress(linkLocal))
    }

    @Test(arguments: ["", "ee:ee:ee:ee:ee", "ee:ee:ee:ee:ee:ee:ee", "gg:ee:ee:ee:ee:ee", "e:ee:ee:ee:ee:ee0"])
    func badMACsAreRefused(text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test func aPathThatIsNotANamespaceIsRefusedNamingIt() throws {
        let plain = try #require(throws: RoutingError.self) { try NetworkNamespace(path: "/proc/version") }
        #expect(plain.reason.contains("/proc/version"))
        #expect(plain.reason.contains("not a network namespace"))
        let missing = try #require(throws: RoutingError.self) { try NetworkNamespace(path: "/nonexistent/netns/x") }
        #expect(missing.code == .notFound)
        #expect(missing.reason.contains("/nonexistent/netns/x"))
    }

    @Test(.enabled(if: getuid() == 0, "setns needs root"))
    func ourOwnNamespaceOpensAndCanBeEntered() throws {
        let own = try NetworkNamespace(path: "/proc/self/ns/net")
        let value = try own.withEntered { () throws(RoutingError) -> Int in 42 }.get()
        #expect(value == 42)
    }
}
