import Testing
import WGMeshNetlink

@Suite struct NetlinkSocketTests {
    /// `ip route add 10.0.0.0/8 via 1.2.3.4` in an empty namespace: ENETUNREACH with
    /// an extended-ack message, the request echoed (not capped). Captured with strace here.
    static let nexthopError = hexBytes("""
        60000000 0200 0002 13ee056b 334f0000
        9bffffff 2c000000 18000506 13ee056b
        00000000 02080000 fe030001 00000000
        08000100 0a000000 08000500 01020304
        20000100 4e657874 686f7020 68617320
        696e7661 6c696420 67617465 77617900
        """)

    /// `wg` resolving the wireguard family on a kernel without it: ENOENT, no extended ack.
    static let familyMissing = hexBytes("""
        38000000 0200 0000 2c4e056b ab220000
        feffffff 24000000 1000 0500 2c4e056b 00000000
        03010000 0e000200 77697265 67756172 64000000
        """)

    func request() -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: 24, flags: 0)
        message.put(1, u32: 1)
        return message
    }

    @Test func executeReturnsOnAckAndSetsRequestAckAndSequence() throws {
        let fake = FakeNetlinkTransport { _, _ in [FakeNetlinkTransport.ack()] }
        let socket = NetlinkSocket(transport: fake)
        try socket.execute(request(), operation: "test")
        try socket.execute(request(), operation: "test")
        let flags = fake.sent[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 6, as: UInt16.self) }
        #expect(flags == NetlinkFlags.request | NetlinkFlags.ack)
        let seqs = fake.sent.map { $0.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) } }
        #expect(seqs[0] != seqs[1])
        let pid = fake.sent[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self) }
        #expect(pid == 4242)
    }

    @Test func kernelErrorCarriesErrnoAndExtendedAck() {
        let fake = FakeNetlinkTransport { _, _ in [Self.nexthopError] }
        let socket = NetlinkSocket(transport: fake)
        do {
            try socket.execute(request(), operation: "add route")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .kernel)
            #expect(error.errno == 101)  // ENETUNREACH
            #expect(error.extendedAck == "Nexthop has invalid gateway")
            #expect(error.description.contains("Nexthop has invalid gateway"))
            #expect(error.description.hasPrefix("add route: "))
        }
    }

    @Test func cappedErrorWithOffsetIsParsed() {
        // Same error as the kernel sends it to a NETLINK_CAP_ACK socket: header only, then MSG and OFFS.
        let payload = hexBytes("""
            eaffffff 2c000000 18000506 00000000 00000000
            0c000100 62616420 6d747500
            08000200 24000000
            """)
        let reply = FakeNetlinkTransport.message(
            type: NetlinkMessageType.error, flags: NetlinkFlags.capped | NetlinkFlags.ackTLVs, payload: payload)
        let socket = NetlinkSocket(transport: FakeNetlinkTransport { _, _ in [reply] })
        #expect {
            try socket.execute(request(), operation: "x")
        } throws: { error in
            let error = error as! NetlinkError
            return error.errno == 22 && error.extendedAck == "bad mtu" && error.extendedAckOffset == 36
        }
    }

    @Test func repliesToOtherSequenceNumbersAreSkipped() throws {
        let stale = FakeNetlinkTransport.message(
            type: NetlinkMessageType.error, seq: 0xFFFF_FFFF, payload: [0xEA, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 16))
        let fake = FakeNetlinkTransport { _, _ in [stale + FakeNetlinkTransport.ack()] }
        try NetlinkSocket(transport: fake).execute(request(), operation: "test")
    }

    @Test func dumpCollectsMultipartRepliesAcrossDatagrams() throws {
        let data = { (n: UInt8) in FakeNetlinkTransport.message(type: 24, flags: NetlinkFlags.multi, payload: [n, 0, 0, 0]) }
        let fake = FakeNetlinkTransport { _, _ in [data(1) + data(2), data(3) + FakeNetlinkTransport.done()] }
        let replies = try NetlinkSocket(transport: fake).dump(request(), operation: "dump")
        #expect(replies.map(\.payload) == [[1, 0, 0, 0], [2, 0, 0, 0], [3, 0, 0, 0]])
        let flags = fake.sent[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 6, as: UInt16.self) }
        #expect(flags == NetlinkFlags.request | NetlinkFlags.dump)
    }

    @Test func dumpRestartsWhenInterrupted() throws {
        let fake = FakeNetlinkTransport { index, _ in
            let flags = index == 0 ? NetlinkFlags.multi | NetlinkFlags.dumpInterrupted : NetlinkFlags.multi
            let data = FakeNetlinkTransport.message(type: 24, flags: flags, payload: [UInt8(index), 0, 0, 0])
            return [data + FakeNetlinkTransport.done(flags: flags)]
        }
        let replies = try NetlinkSocket(transport: fake).dump(request(), operation: "dump")
        #expect(fake.sent.count == 2)
        #expect(replies.map(\.payload) == [[1, 0, 0, 0]])  // only the consistent second attempt
    }

    @Test func dumpGivesUpAfterTooManyRestarts() {
        let fake = FakeNetlinkTransport { _, _ in
            [FakeNetlinkTransport.done(flags: NetlinkFlags.multi | NetlinkFlags.dumpInterrupted)]
        }
        let socket = NetlinkSocket(transport: fake)
        socket.maximumDumpRestarts = 3
        #expect(throws: NetlinkError.self) { try socket.dump(request(), operation: "dump") }
        #expect(fake.sent.count == 4)
    }

    @Test func doneWithAnErrorThrows() {
        let done = FakeNetlinkTransport.message(type: NetlinkMessageType.done, flags: NetlinkFlags.multi, payload: [0xF9, 0xFF, 0xFF, 0xFF])
        let socket = NetlinkSocket(transport: FakeNetlinkTransport { _, _ in [done] })
        #expect { try socket.dump(request(), operation: "dump") } throws: { ($0 as! NetlinkError).errno == 7 }
    }

    @Test func queryKeepsDataRepliesUntilTheAck() throws {
        let data = FakeNetlinkTransport.message(type: 16, payload: hexBytes("01020000 06000100 2300 0000"))
        let socket = NetlinkSocket(transport: FakeNetlinkTransport { _, _ in [data, FakeNetlinkTransport.ack()] })
        let id = try GenericNetlinkFamily.resolve(name: "wireguard", on: socket)
        #expect(id == 35)
    }

    @Test func aMissingFamilyResolvesToNil() throws {
        let socket = NetlinkSocket(transport: FakeNetlinkTransport { _, _ in [Self.familyMissing] })
        #expect(try GenericNetlinkFamily.resolve(name: "wireguard", on: socket) == nil)
    }
}

/// Against the host kernel: needs no privileges and changes nothing.
@Suite struct NetlinkLiveTests {
    @Test func resolvesTheControllerFamilyAndNotAnInventedOne() throws {
        let socket = try NetlinkSocket(.generic)
        #expect(try GenericNetlinkFamily.resolve(name: "nlctrl", on: socket) == 0x10)
        #expect(try GenericNetlinkFamily.resolve(name: "wgmesh-no-such", on: socket) == nil)
    }

    @Test func dumpsLinksIncludingLoopback() throws {
        let socket = try NetlinkSocket(.route)
        var request = NetlinkMessageBuilder(type: 18 /* RTM_GETLINK */, flags: 0)
        request.appendFixedHeader((UInt64(0), UInt64(0)))  // zeroed ifinfomsg, 16 bytes
        let replies = try socket.dump(request, operation: "list links")
        var names: [String] = []
        for reply in replies {
            var attributes = reply.attributes(afterHeaderOfSize: 16)
            while attributes.next() {
                if attributes.type == 3 { names.append(attributes.string()) }
            }
            #expect(attributes.error == nil)
        }
        #expect(names.contains("lo"))
    }
}
