import Testing
import WGMeshCore
import WGMeshNetlink
@testable import WGMeshRouting

/// One request we build next to the bytes iproute2 sent for the same command.
struct EncoderCase: Sendable, CustomTestStringConvertible {
    let name: String
    let built: [UInt8]
    let expected: [UInt8]
    var testDescription: String { name }

    /// `message` as the socket sends it with REQUEST|ACK, which is what `ip` sends for changes.
    init(_ name: String, _ message: NetlinkMessageBuilder, _ expected: [UInt8]) {
        self.name = name
        built = message.encoded(sequence: 0, portID: 0, extraFlags: NetlinkFlags.request | NetlinkFlags.ack)
        self.expected = withoutSequenceAndPort(expected)
    }
}

@Suite struct EncoderTests {
    // Link d0 is ifindex 2 in the captures.
    static let d0: UInt32 = 2
    static let requests = IPRoute2Requests.self

    /// iproute2 leaves NLA_F_NESTED off IFLA_LINKINFO; we set it (the kernel's
    /// strict policy expects it of new code). Patch that one bit, at byte 43.
    static func withNestedLinkInfo(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        #expect(copy[42] == 18 && copy[43] == 0, "IFLA_LINKINFO is not where the patch expects it")
        copy[43] |= 0x80
        return copy
    }

    static let linkCases: [EncoderCase] = [
        EncoderCase("create ifb link", Link.createRequest(name: "d0", kind: "ifb"),
                    withNestedLinkInfo(requests.linkCreateIFB)),
        EncoderCase("create wireguard link", Link.createRequest(name: "wg0", kind: "wireguard"),
                    withNestedLinkInfo(requests.linkCreateWireGuard)),
        EncoderCase("set mtu and up", Link.setRequest(index: d0, mtu: 1420, up: true), requests.linkSetMTUUp),
        EncoderCase("set down", Link.setRequest(index: d0, mtu: nil, up: false), requests.linkSetDown),
        EncoderCase("delete link", Link.deleteRequest(index: d0), requests.linkDelete),
    ]

    static let addressCases: [EncoderCase] = [
        EncoderCase("add v4 /32", InterfaceAddress.addRequest(try! IPNetwork("10.0.0.1/32"), interfaceIndex: d0),
                    requests.addrAdd4),
        EncoderCase("add v4 /24", InterfaceAddress.addRequest(try! IPNetwork("10.9.0.1/24"), interfaceIndex: d0),
                    requests.addrAdd4Prefix24),
        EncoderCase("add v6 /128", InterfaceAddress.addRequest(try! IPNetwork("fd00::1/128"), interfaceIndex: d0),
                    requests.addrAdd6),
        EncoderCase("delete v4", InterfaceAddress.deleteRequest(try! IPNetwork("10.9.0.1/24"), interfaceIndex: d0),
                    requests.addrDel4),
        EncoderCase("delete v6", InterfaceAddress.deleteRequest(try! IPNetwork("fd00::1/128"), interfaceIndex: d0),
                    requests.addrDel6),
    ]

    // `proto 98` in the captures: any value works, the bytes just have to agree.
    static let proto98 = RouteProtocol(rawValue: 98)
    static let device4 = Route(destination: try! IPNetwork("10.1.0.0/24"), table: 1000, outputInterface: d0,
                               protocol: proto98)
    static let throw4 = Route(destination: try! IPNetwork("10.2.0.0/16"), table: 1000, type: .throw,
                              protocol: proto98)
    static let device6 = Route(destination: try! IPNetwork("fd00:1::/64"), table: 1000, outputInterface: d0,
                               protocol: proto98)
    static let throw6 = Route(destination: try! IPNetwork("fd00:2::/48"), table: 1000, type: .throw,
                              protocol: proto98)

    static let routeCases: [EncoderCase] = {
        var table100 = device4
        table100.table = 100
        return [
            EncoderCase("add v4 device route, table 1000", device4.newRequest(replace: false),
                        requests.routeAdd4Table1000),
            EncoderCase("add v4 device route, table 100", table100.newRequest(replace: false),
                        requests.routeAdd4Table100),
            EncoderCase("add v4 throw route", throw4.newRequest(replace: false), requests.routeThrow4),
            EncoderCase("add v6 device route", device6.newRequest(replace: false), requests.routeAdd6),
            EncoderCase("add v6 throw route", throw6.newRequest(replace: false), requests.routeThrow6),
            EncoderCase("replace v4 route", device4.newRequest(replace: true), requests.routeReplace4),
            EncoderCase("delete v4 route", device4.deleteRequest(), requests.routeDel4),
            EncoderCase("delete v4 throw route", throw4.deleteRequest(), requests.routeDelThrow4),
            EncoderCase("delete v6 route", device6.deleteRequest(), requests.routeDel6),
        ]
    }()

    static let calicoRule4 = Rule(family: .v4, priority: 99, table: 1000, fwmark: 0x10_0000, fwmask: 0x10_0000,
                                  invert: true)

    static let ruleCases: [EncoderCase] = {
        var calicoRule6 = calicoRule4
        calicoRule6.family = .v6
        return [
            EncoderCase("add not-fwmark rule", calicoRule4.addRequest(), requests.ruleAdd4),
            EncoderCase("add v6 not-fwmark rule", calicoRule6.addRequest(), requests.ruleAdd6),
            EncoderCase("add suppress_prefixlength rule",
                        Rule(family: .v4, priority: 100, table: Route.mainTable, suppressPrefixLength: 0).addRequest(),
                        requests.ruleSuppress),
            EncoderCase("add plain lookup rule", Rule(family: .v4, priority: 101, table: 1000).addRequest(),
                        requests.ruleNoMark),
            EncoderCase("add zero-mark rule",
                        Rule(family: .v4, priority: 98, table: 1000, fwmark: 0, fwmask: 0x10_0000).addRequest(),
                        requests.ruleMaskOnly),
            EncoderCase("add source rule",
                        Rule(family: .v4, priority: 97, table: 1000, source: try! IPNetwork("10.0.0.0/8")).addRequest(),
                        requests.ruleSource),
            EncoderCase("delete not-fwmark rule", calicoRule4.deleteRequest(), requests.ruleDel4),
        ]
    }()

    @Test(arguments: linkCases + addressCases + routeCases + ruleCases)
    func requestMatchesIPRoute2(_ check: EncoderCase) {
        #expect(check.built == check.expected, "\(check.name): built \(check.built) expected \(check.expected)")
    }

    @Test func linkLookupDiffersFromIPRoute2OnlyInExtMaskAndAck() {
        // `ip` asks for VF info too (mask 9) and sends no ACK flag; we skip
        // stats only (8) and let the socket add ACK. Everything else agrees.
        let built = Link.getRequest(name: "d0").encoded(
            sequence: 0, portID: 0, extraFlags: NetlinkFlags.request | NetlinkFlags.ack)
        var expected = withoutSequenceAndPort(IPRoute2Requests.linkGetByName)
        #expect(expected[32...35] == [8, 0, 29, 0], "IFLA_EXT_MASK moved in the capture")
        expected[36] = 8
        expected[6] |= UInt8(NetlinkFlags.ack)
        #expect(built == expected)
    }

    @Test func fixedHeadersHaveTheKernelSizes() {
        #expect(MemoryLayout<InterfaceInfoHeader>.size == 16)
        #expect(MemoryLayout<AddressHeader>.size == 8)
        #expect(MemoryLayout<RouteHeader>.size == 12)
        #expect(MemoryLayout<RuleHeader>.size == 12)
    }

    @Test func defaultRouteCarriesNoDestinationAttribute() throws {
        let route = Route(destination: try IPNetwork("0.0.0.0/0"), table: 1000, outputInterface: 2)
        let bytes = route.newRequest(replace: false).bytes
        // nlmsghdr + rtmsg + RTA_TABLE + RTA_OIF: no RTA_DST for /0, as `ip route add default` sends.
        #expect(bytes.count == 16 + 12 + 8 + 8)
        #expect(bytes[17] == 0)  // rtm_dst_len
    }

    @Test func scopeDefaultsFollowIPRoute2() throws {
        #expect(Route(destination: try IPNetwork("10.0.0.0/8"), table: 1, outputInterface: 2).scope == .link)
        #expect(Route(destination: try IPNetwork("10.0.0.0/8"), table: 1, type: .throw).scope == .universe)
        #expect(Route(destination: try IPNetwork("10.0.0.0/8"), table: 1, gateway: try IPAddress("10.0.0.1")).scope
            == .universe)
        #expect(Route(destination: try IPNetwork("fd00::/8"), table: 1, outputInterface: 2).scope == .universe)
    }

    @Test func ruleMarkWithoutMaskMatchesAllBitsLikeTheKernel() {
        #expect(Rule(family: .v4, priority: 1, table: 1, fwmark: 0x51820).fwmask == 0xFFFF_FFFF)
        #expect(Rule(family: .v4, priority: 1, table: 1).fwmask == 0)
    }
}
