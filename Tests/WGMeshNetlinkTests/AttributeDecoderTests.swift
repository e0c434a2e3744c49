import Testing
import WGMeshNetlink

@Suite struct AttributeDecoderTests {
    @Test func readsTypesMasksFlagsAndSkipsPadding() {
        // u32, a type-0 pad, a u64 at a 4-byte (not 8-byte) offset, a nest with a string.
        let bytes = hexBytes("""
            0800 0100 2a000000
            0400 0000
            0c00 0200 0807060504030201
            0c00 0380 0700 0100 77673000
            """)
        var decoder = AttributeDecoder(bytes[...])
        var seen: [UInt16] = []
        while decoder.next() {
            seen.append(decoder.type)
            switch decoder.type {
            case 1: #expect(decoder.u32() == 42)
            case 2: #expect(decoder.u64() == 0x0102030405060708)
            case 3:
                #expect(decoder.isNested)
                var inner = decoder.nested()
                let hasString = inner.next()
                #expect(hasString)
                #expect(inner.string() == "wg0")
                let innerDone = inner.next()
                #expect(!innerDone)
            default: Issue.record("unexpected type \(decoder.type)")
            }
        }
        #expect(seen == [1, 2, 3])
        #expect(decoder.error == nil)
    }

    @Test func aShortPayloadRecordsTheFirstErrorOnly() {
        let bytes = hexBytes("0500 0100 ff000000 0600 0200 01000000")
        var decoder = AttributeDecoder(bytes[...])
        let hasFirst = decoder.next()
        #expect(hasFirst)
        #expect(decoder.u32() == 0)                 // 1 byte where 4 are needed
        let first = decoder.error
        #expect(first?.code == .truncated)
        let stopped = decoder.next()                    // stops after an error
        #expect(!stopped)
        #expect(decoder.error?.detail == first?.detail)
    }

    @Test func anOverlongAttributeIsMalformed() {
        let bytes = hexBytes("1000 0100 01000000")
        var decoder = AttributeDecoder(bytes[...])
        let parsed = decoder.next()
        #expect(!parsed)
        #expect(decoder.error?.code == .malformed)
    }

    @Test func aNestedErrorReachesTheOutermostDecoder() {
        let bytes = hexBytes("0c00 0180 0500 0200 01000000")
        var decoder = AttributeDecoder(bytes[...])
        let hasFirst = decoder.next()
        #expect(hasFirst)
        var inner = decoder.nested()
        let hasString = inner.next()
                #expect(hasString)
        _ = inner.u16()
        #expect(decoder.error?.code == .truncated)
    }
}

@Suite struct AttributeDecoderArrayTests {
    /// WireGuard numbers every array element 0 and sets NLA_F_NESTED: that is data, not padding.
    @Test func typeZeroElementsWithTheNestedFlagAreNotPadding() {
        let bytes = hexBytes("0400 0000 0c00 0080 0800 0100 01000000 0c00 0080 0800 0100 02000000")
        var list = AttributeDecoder(bytes[...])
        var values: [UInt32] = []
        while list.next() {
            var element = list.nested()
            while element.next() { values.append(element.u32()) }
        }
        #expect(values == [1, 2])
        var elements = AttributeDecoder(bytes[...])
        var count = 0
        while elements.nextElement() { count += 1 }
        #expect(count == 3)  // nextElement returns the bare padding too
    }
}
