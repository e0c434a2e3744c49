import Testing
import WGMeshNetlink

@Suite struct NetlinkMessageBuilderTests {
    /// CTRL_CMD_GETFAMILY "wireguard" exactly as `wg` sent it (strace on this machine), seq and pid zeroed.
    static let wgGetFamily = hexBytes("""
        24000000 1000 0500 00000000 00000000
        03010000 0e000200 77697265 67756172 64000000
        """)

    @Test func getFamilyRequestMatchesWhatWgSends() {
        var message = NetlinkMessageBuilder(type: GenericNetlinkFamily.controllerID, flags: 0)
        message.appendFixedHeader(GenericNetlinkHeader(command: 3, version: 1))
        message.put(2, string: "wireguard")
        #expect(message.encoded(sequence: 0, portID: 0, extraFlags: NetlinkFlags.request | NetlinkFlags.ack)
                == Self.wgGetFamily)
        #expect(message.count == 36)
    }

    @Test func integersAndBytesArePaddedToFourWithZeros() {
        var message = NetlinkMessageBuilder(type: 1, flags: 0)
        message.put(1, u8: 0xAB)
        message.put(2, u16: 0x1234)
        message.put(3, u32: 0xDEADBEEF)
        message.put(4, u64: 0x0102030405060708)
        [UInt8]([9, 9, 9]).withUnsafeBytes { _ = message.put(5, bytes: $0) }
        #expect(Array(message.payload) == hexBytes("""
            0500 0100 ab000000
            0600 0200 34120000
            0800 0300 efbeadde
            0c00 0400 0807060504030201
            0700 0500 09090900
            """))
    }

    @Test func nestsSetTheNestedFlagAndTheirLength() {
        var message = NetlinkMessageBuilder(type: 1, flags: 0)
        let outer = message.beginNest(8)!
        let inner = message.beginNest(0)!
        message.put(1, u32: 7)
        message.endNest(inner)
        message.endNest(outer)
        #expect(Array(message.payload) == hexBytes("1000 0880 0c00 0080 0800 0100 07000000"))
    }

    @Test func sizeLimitRefusesWithoutWritingAndCancelRollsBack() {
        var message = NetlinkMessageBuilder(type: 1, flags: 0, sizeLimit: 32)
        let first = message.put(1, u32: 1)         // 24 bytes
        let second = message.put(2, u32: 2)        // 32: exactly full
        let third = message.put(3, u8: 3)
        let nest = message.beginNest(4)
        #expect(first && second && !third)
        #expect(nest == nil)
        #expect(message.count == 32)
        message.cancel(to: 24)
        #expect(message.count == 24)
        #expect(Array(message.payload) == hexBytes("0800 0100 01000000"))
    }

    @Test func paddingIsZeroEvenOverCancelledBytes() {
        var message = NetlinkMessageBuilder(type: 1, flags: 0)
        let mark = message.count
        message.put(1, string: "abcdefg")           // fills 8 payload bytes with text and NUL
        message.cancel(to: mark)
        message.put(1, string: "ab")                // 3 bytes + 1 padding, which must be 0 not 'd'
        #expect(Array(message.payload) == hexBytes("0700 0100 61620000"))
    }

    @Test func lengthFieldCoversTheWholeMessage() {
        var message = NetlinkMessageBuilder(type: 0x1234, flags: NetlinkFlags.create)
        message.put(1, string: "wg0")
        let bytes = message.bytes
        #expect(bytes.count == 24)
        #expect(bytes[0] == 24 && bytes[4] == 0x34 && bytes[5] == 0x12)
        #expect(bytes[6] == 0x00 && bytes[7] == 0x04)  // NLM_F_CREATE in the high byte
    }
}
