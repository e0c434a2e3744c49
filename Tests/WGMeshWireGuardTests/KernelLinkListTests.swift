import Testing
import WGMeshNetlink
@testable import WGMeshWireGuard

/// deviceNames' RTM_GETLINK filter: only links whose IFLA_INFO_KIND is "wireguard".
@Suite struct KernelLinkListTests {
    /// An RTM_NEWLINK reply with a name and, optionally, a link kind.
    static func link(_ name: String, kind: String?) -> [UInt8] {
        var message = NetlinkMessageBuilder(type: 16 /* RTM_NEWLINK */, flags: NetlinkFlags.multi)
        message.appendFixedHeader(KernelLinkList.InterfaceInfoHeader())
        message.put(4 /* IFLA_MTU */, u32: 1420)
        message.put(3 /* IFLA_IFNAME */, string: name)
        if let kind {
            let info = message.beginNest(18)!  // IFLA_LINKINFO
            message.put(1, string: kind)         // IFLA_INFO_KIND
            message.endNest(info)
        }
        return message.encoded(sequence: 0, portID: 0, extraFlags: NetlinkFlags.multi)
    }

    @Test func keepsOnlyWireGuardLinksSorted() throws {
        let done = KernelFixtures.hex("14000000 0300 0200 00000000 00000000 00000000")
        let fake = KernelFakeTransport { _, _ in
            [Self.link("wg1", kind: "wireguard") + Self.link("lo", kind: nil) + Self.link("br0", kind: "bridge"),
             Self.link("wg0", kind: "wireguard") + done]
        }
        let names = try KernelLinkList.names(ofKind: "wireguard", on: NetlinkSocket(transport: fake))
        #expect(names == ["wg0", "wg1"])
        let request = fake.sent[0]
        #expect(request.count == 32)  // nlmsghdr + a zeroed 16-byte ifinfomsg
        #expect(request[4] == 18 && request[6] == 0x01 && request[7] == 0x03)  // RTM_GETLINK, REQUEST|DUMP
    }
}
