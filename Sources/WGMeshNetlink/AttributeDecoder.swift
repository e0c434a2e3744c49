/// Walks attributes; keeps its first error so callers check once (like mdlayher's AttributeDecoder).
///
/// A decoder from ``nested()`` shares its parent's error, so checking the
/// outermost decoder after the walk covers every level. Values are read
/// unaligned (payloads are only 4-byte aligned, u64s are not), attributes of
/// raw type 0 (padding) are skipped by ``next()``, and a short payload reads as 0 and records a
/// ``NetlinkError/Code/truncated`` error instead of trapping.
public struct AttributeDecoder {
    // Shared by a decoder and its nested decoders: one allocation per walk.
    private final class ErrorBox {
        var error: NetlinkError?
    }

    @usableFromInline let buffer: ArraySlice<UInt8>
    private var offset: Int
    @usableFromInline var payloadStart: Int
    @usableFromInline var payloadEnd: Int
    private var rawType: UInt16 = 0
    private let box: ErrorBox

    /// Creates a decoder over a run of attributes.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.init(bytes, box: ErrorBox())
    }

    private init(_ bytes: ArraySlice<UInt8>, box: ErrorBox) {
        self.buffer = bytes
        self.box = box
        offset = bytes.startIndex
        payloadStart = bytes.startIndex
        payloadEnd = bytes.startIndex
    }

    /// The first error met by this decoder or any decoder nested in it.
    public var error: NetlinkError? { box.error }

    /// The current attribute's type, with `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER` masked.
    public var type: UInt16 { rawType & 0x3FFF }

    /// Whether the current attribute has `NLA_F_NESTED` set.
    public var isNested: Bool { rawType & 0x8000 != 0 }

    /// The current attribute's payload length in bytes, without padding.
    public var length: Int { payloadEnd - payloadStart }

    private func fail(_ code: NetlinkError.Code, _ detail: String) {
        if box.error == nil { box.error = NetlinkError(code, operation: "decode netlink attributes", detail: detail) }
    }

    /// Moves to the next attribute, skipping type-0 padding; false at the end or after an error.
    ///
    /// Only a raw type of 0 is padding: a type-0 attribute with `NLA_F_NESTED`
    /// is an array element (WireGuard's peers) and is returned.
    public mutating func next() -> Bool { advance(skippingPadding: true) }

    /// Moves to the next element of a nested array, whatever its type (arrays number elements from 0 or not at all).
    public mutating func nextElement() -> Bool { advance(skippingPadding: false) }

    private mutating func advance(skippingPadding: Bool) -> Bool {
        while box.error == nil {
            let remaining = buffer.endIndex - offset
            if remaining < 4 {
                // Fewer than 4 trailing bytes can only be alignment slack.
                return false
            }
            let (length, type) = buffer.withUnsafeBytes { raw in
                let at = offset - buffer.startIndex
                return (Int(raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)),
                        raw.loadUnaligned(fromByteOffset: at + 2, as: UInt16.self))
            }
            guard length >= 4, length <= remaining else {
                fail(.malformed, "attribute type \(type & 0x3FFF) claims \(length) bytes, \(remaining) remain")
                return false
            }
            payloadStart = offset + 4
            payloadEnd = offset + length
            offset = Swift.min(offset + NetlinkMessageBuilder.aligned(length), buffer.endIndex)
            rawType = type
            if !skippingPadding || type != 0 { return true }
        }
        return false
    }

    @inline(__always)
    private func value<T: FixedWidthInteger>(_: T.Type) -> T {
        guard payloadEnd - payloadStart >= MemoryLayout<T>.size else {
            fail(.truncated, "attribute type \(type) has \(length) bytes, needs \(MemoryLayout<T>.size)")
            return 0
        }
        return buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: payloadStart - buffer.startIndex, as: T.self) }
    }

    /// The payload as a u8.
    public func u8() -> UInt8 { value(UInt8.self) }
    /// The payload as a host-order u16.
    public func u16() -> UInt16 { value(UInt16.self) }
    /// The payload as a host-order u32.
    public func u32() -> UInt32 { value(UInt32.self) }
    /// The payload as a host-order u64.
    public func u64() -> UInt64 { value(UInt64.self) }

    /// The payload bytes (a slice of the original buffer, no copy).
    public func bytes() -> ArraySlice<UInt8> { buffer[payloadStart..<payloadEnd] }

    /// Calls `body` with the payload's memory, for fixed-size C structs or keys.
    ///
    /// Inlinable so callers in other modules get it specialised: unspecialised,
    /// its generic result cost a metadata lookup per attribute when decoding.
    @inlinable
    public func withUnsafePayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer[payloadStart..<payloadEnd].withUnsafeBytes(body)
    }

    /// The payload as a string, up to the first NUL.
    public func string() -> String {
        let payload = buffer[payloadStart..<payloadEnd]
        let end = payload.firstIndex(of: 0) ?? payload.endIndex
        return String(decoding: payload[payloadStart..<end], as: UTF8.self)
    }

    /// A decoder over the current attribute's payload, sharing this decoder's error.
    public func nested() -> AttributeDecoder {
        AttributeDecoder(buffer[payloadStart..<payloadEnd], box: box)
    }
}
