import Glibc
import Testing
import WGMeshCore
import WGMeshNetlink
@testable import WGMeshRouting

/// The client over a scripted transport: what it sends, and how kernel answers become RoutingErrors.
@Suite struct RoutingClientTests {
    static func client(_ script: [[[UInt8]]]) -> (RoutingClient, ScriptedTransport) {
        let transport = ScriptedTransport(script)
        return (RoutingClient(socket: NetlinkSocket(transport: transport)), transport)
    }

    @Test func missingWireGuardModuleIsUnsupportedLinkKind() throws {
        let (client, transport) = Self.client([KernelReplies.linkCreateWireGuardError])
        let error = try #require(throws: RoutingError.self) { try client.createWireGuardLink(named: "wg0") }
        #expect(error.code == .unsupportedLinkKind)
        #expect(error.errno == EOPNOTSUPP)
        #expect(error.reason.contains("modprobe wireguard"))
        #expect(error.reason.contains("userspace"))
        let sent = try #require(transport.sent.first)
        #expect(withoutSequenceAndPort(sent) == EncoderTests.withNestedLinkInfo(
            withoutSequenceAndPort(IPRoute2Requests.linkCreateWireGuard)))
    }

    @Test(arguments: [
        (EEXIST, RoutingError.Code.exists), (EPERM, .permission), (EINVAL, .kernel),
    ])
    func kernelErrnosMapToCodes(errno: Int32, code: RoutingError.Code) throws {
        let (client, _) = Self.client([[ScriptedTransport.ack(errno: errno)]])
        let error = try #require(throws: RoutingError.self) { try client.createLink(named: "d0", kind: "ifb") }
        #expect(error.code == code)
        #expect(error.errno == errno)
        #expect(error.reason.contains("d0"))
    }

    @Test func unsupportedOutsideLinkCreationIsAPlainKernelError() throws {
        let (client, _) = Self.client([[ScriptedTransport.ack(errno: EOPNOTSUPP)]])
        let error = try #require(throws: RoutingError.self) { try client.addRoute(EncoderTests.throw4) }
        #expect(error.code == .kernel)
        #expect(error.reason.contains("10.2.0.0/16"))
    }

    @Test func unknownLinkNameIsNoSuchLink() throws {
        let (client, transport) = Self.client([[ScriptedTransport.ack(errno: ENODEV)]])
        let error = try #require(throws: RoutingError.self) { try client.setLink(named: "nope0", mtu: 1400) }
        #expect(error.code == .noSuchLink)
        #expect(error.reason.contains("nope0"))
        #expect(transport.sent.count == 1, "no change may be sent after a failed lookup")
    }

    @Test func setLinkLooksUpTheIndexThenSendsWhatIPRoute2Sends() throws {
        let (client, transport) = Self.client([
            KernelReplies.linkGetByName + [ScriptedTransport.ack()],
            [ScriptedTransport.ack()],
        ])
        try client.setLink(named: "d0", mtu: 1420, up: true)
        try #require(transport.sent.count == 2)
        #expect(withoutSequenceAndPort(transport.sent[1]) == withoutSequenceAndPort(IPRoute2Requests.linkSetMTUUp))
    }

    @Test func routesFilterByTableOwnerAndFamily() throws {
        // One extra route in table 5, made by rewriting RTA_TABLE of a captured one.
        var table5 = KernelReplies.routeDump4[0]
        #expect(table5[28...31] == [8, 0, 15, 0])
        table5[32...35] = [5, 0, 0, 0]
        let dump = KernelReplies.routeDump4 + KernelReplies.routeDump6 + [table5, ScriptedTransport.done]
        let (client, transport) = Self.client([dump, dump, dump])

        let table1000 = try client.routes(table: 1000)
        #expect(table1000.count == 4)
        #expect(try client.routes(table: 5).map(\.destination) == [try IPNetwork("10.1.0.0/24")])
        #expect(try client.routes(table: 1000, protocol: .wgmesh, family: .v4).isEmpty)
        // AF_UNSPEC asks for both families in one dump.
        #expect(transport.sent[0][16] == 0)
    }

    @Test func routeListingsSkipMulticastForwardingAndCacheEntries() throws {
        // An AF_UNSPEC dump also carries RTNL_FAMILY_IPMR (128) entries and
        // RTM_F_CLONED cache entries; made here by editing a captured route.
        var multicastForwarding = KernelReplies.routeDump4[0]
        multicastForwarding[16] = 128
        var cached = KernelReplies.routeDump4[0]
        cached[25] |= 0x02  // rtm_flags bit 9, RTM_F_CLONED
        let (client, _) = Self.client([[multicastForwarding, cached, KernelReplies.routeDump4[1], ScriptedTransport.done]])
        #expect(try client.routes() == [EncoderTests.throw4])
    }

    @Test func rulesListBothFamilies() throws {
        let (client, transport) = Self.client([
            KernelReplies.ruleDump4 + [ScriptedTransport.done],
            KernelReplies.ruleDump6 + [ScriptedTransport.done],
        ])
        let rules = try client.rules()
        #expect(rules.filter { $0.family == .v4 }.count == 8)
        #expect(rules.filter { $0.family == .v6 }.count == 3)
        #expect(transport.sent.map { $0[16] } == [UInt8(AF_INET), UInt8(AF_INET6)])
    }

    @Test func deletingAMissingRouteIsNotFound() throws {
        let (client, _) = Self.client([[ScriptedTransport.ack(errno: ESRCH)]])
        let error = try #require(throws: RoutingError.self) { try client.deleteRoute(EncoderTests.throw4) }
        #expect(error.code == .notFound)
    }
}
