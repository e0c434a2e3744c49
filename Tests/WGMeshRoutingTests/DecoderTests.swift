import Testing
import WGMeshCore
@testable import WGMeshRouting

/// Decoders fed with replies the kernel sent to `ip` (Fixtures/IPRoute2Captures.swift).
///
/// The strongest check: each decoded route and rule equals the value whose
/// encoding byte-matched the request `ip` sent to create it, so a reconciler
/// comparing desired with actual sees no difference.
@Suite struct DecoderTests {
    static let replies = KernelReplies.self

    @Test func linkDumpGivesNameIndexKindMTUAndState() throws {
        let links = try Self.replies.linkDump.map { bytes throws(RoutingError) in
            try Link(netlinkPayload: payload(bytes))
        }
        #expect(links == [
            Link(name: "lo", index: 1, kind: nil, mtu: 65536, isUp: true),
            Link(name: "d0", index: 2, kind: "ifb", mtu: 1420, isUp: true),
        ])
    }

    @Test func linkLookupReplyDecodes() throws {
        let link = try Link(netlinkPayload: payload(try #require(Self.replies.linkGetByName.first)))
        #expect(link == Link(name: "d0", index: 2, kind: "ifb", mtu: 1500, isUp: false))
    }

    @Test func addressDumpKeepsPrefixFlagsAndScope() throws {
        let addresses = try Self.replies.addressDump.map { bytes throws(RoutingError) in
            try InterfaceAddress(netlinkPayload: payload(bytes))
        }
        try #require(addresses.count == 5)
        #expect(addresses[0] == InterfaceAddress(network: try IPNetwork("127.0.0.1/8"), interfaceIndex: 1,
                                                 flags: 0x80, scope: .host))
        #expect(addresses[1] == InterfaceAddress(network: try IPNetwork("10.0.0.1/32"), interfaceIndex: 2,
                                                 flags: 0x280, scope: .universe))
        #expect(addresses[1].hasNoPrefixRoute)
        #expect(addresses[2].network == (try IPNetwork("::1/128")))
        #expect(addresses[3] == InterfaceAddress(network: try IPNetwork("fd00::1/128"), interfaceIndex: 2,
                                                 flags: 0x280, scope: .universe))
        #expect(addresses[4].scope == .link)
        #expect(addresses[4].network.prefixLength == 64)
        #expect(!addresses[4].hasNoPrefixRoute)
    }

    @Test func ipv4RoutesReadBackEqualToWhatWasAdded() throws {
        let routes = try Self.replies.routeDump4.map { bytes throws(RoutingError) in
            try Route(netlinkPayload: payload(bytes))
        }
        // The header says table 252 (RT_TABLE_COMPAT); RTA_TABLE carries 1000.
        #expect(routes == [EncoderTests.device4, EncoderTests.throw4])
    }

    @Test func ipv6RoutesReadBackWithTheKernelsDefaultMetric() throws {
        let routes = try Self.replies.routeDump6.map { bytes throws(RoutingError) in
            try Route(netlinkPayload: payload(bytes))
        }
        var device6 = EncoderTests.device6
        var throw6 = EncoderTests.throw6
        device6.metric = Route.ipv6DefaultMetric
        throw6.metric = Route.ipv6DefaultMetric
        // The kernel pins the IPv6 throw route to lo (RTA_OIF 1); the decoder drops it.
        #expect(routes == [device6, throw6])
        #expect(routes.allSatisfy { $0.family == .v6 })
    }

    @Test func ipv4RulesReadBackEqualToWhatWasAdded() throws {
        let rules = try Self.replies.ruleDump4.map { bytes throws(RoutingError) in
            try Rule(netlinkPayload: payload(bytes))
        }
        #expect(rules.map(\.priority) == [0, 97, 98, 99, 100, 101, 32766, 32767])
        try #require(rules.count == 8)
        #expect(rules[0] == Rule(family: .v4, priority: 0, table: Route.localTable, protocol: .kernel))
        #expect(rules[1] == Rule(family: .v4, priority: 97, table: 1000, source: try IPNetwork("10.0.0.0/8")))
        // fwmark 0/0x100000: the kernel sends only the mask, which must not read back as "no mark match".
        #expect(rules[2] == Rule(family: .v4, priority: 98, table: 1000, fwmark: 0, fwmask: 0x10_0000))
        #expect(rules[3] == EncoderTests.calicoRule4)
        // suppress_prefixlength 0 is a real value; -1 (unset) on the others reads as nil.
        #expect(rules[4] == Rule(family: .v4, priority: 100, table: Route.mainTable, suppressPrefixLength: 0))
        #expect(rules[5] == Rule(family: .v4, priority: 101, table: 1000))
        #expect(rules[6] == Rule(family: .v4, priority: 32766, table: Route.mainTable, protocol: .kernel))
        #expect(rules.allSatisfy { !$0.hasUnmodeledSelectors })
    }

    @Test func ipv6RulesDecode() throws {
        let rules = try Self.replies.ruleDump6.map { bytes throws(RoutingError) in
            try Rule(netlinkPayload: payload(bytes))
        }
        var calicoRule6 = EncoderTests.calicoRule4
        calicoRule6.family = .v6
        #expect(rules.count == 3)
        #expect(rules.dropFirst().first == calicoRule6)
    }

    @Test(arguments: [0, 4, 11])
    func truncatedHeadersAreMalformedNotCrashes(length: Int) throws {
        let bytes = ArraySlice([UInt8](repeating: 0, count: length))
        #expect(throws: RoutingError.self) { try Route(netlinkPayload: bytes) }
        #expect(throws: RoutingError.self) { try Rule(netlinkPayload: bytes) }
        #expect(throws: RoutingError.self) { try Link(netlinkPayload: bytes) }
        #expect(throws: RoutingError.self) { try InterfaceAddress(netlinkPayload: bytes) }
    }

    @Test func attributeClaimingTooManyBytesIsMalformed() throws {
        var bytes = try #require(Self.replies.routeDump4.first)
        bytes[28] = 0xFF  // first attribute's length: 255 bytes, far past the end
        let error = try #require(throws: RoutingError.self) { try Route(netlinkPayload: payload(bytes)) }
        #expect(error.code == .malformed)
        #expect(error.reason.contains("claims 255 bytes"), "the decoder's detail should reach the operator")
    }

    @Test func foreignRuleSelectorsAreFlagged() throws {
        // fib_rule_hdr for IPv4, table main, lookup; then FRA_IIFNAME "eth0".
        let rule = try Rule(netlinkPayload: ArraySlice(
            [2, 0, 0, 0, 254, 0, 0, 1, 0, 0, 0, 0, 9, 0, 3, 0] + Array("eth0".utf8) + [0, 0, 0, 0]))
        #expect(rule.hasUnmodeledSelectors)
        #expect(rule != Rule(family: .v4, priority: 0, table: Route.mainTable))
    }
}
