/// A nest opened by ``NetlinkMessageBuilder/beginNest(_:)``, closed by ``NetlinkMessageBuilder/endNest(_:)``.
public struct NetlinkNest: Sendable {
    /// Where the nest's attribute header starts in the message.
    public let offset: Int
}

/// Builds one netlink message in a growable byte buffer (optionally with a size limit for fragmenting).
///
/// The buffer starts with room for the 16-byte `nlmsghdr`; ``NetlinkSocket``
/// fills in the length, sequence number and port when it sends, and adds
/// `NLM_F_REQUEST`. Every `put` checks ``sizeLimit`` first and returns false
/// rather than overflow, so a fragmenting caller can `cancel(to:)` the partial
/// element, send what it has and start a new message.
public struct NetlinkMessageBuilder: Sendable {
    /// The size of `nlmsghdr`, which ``count`` includes.
    public static let headerSize = 16
    /// The size of `nlattr`.
    public static let attributeHeaderSize = 4

    /// The message type (`nlmsg_type`): an rtnetlink type or a genetlink family id.
    public let type: UInt16
    /// Extra flags for `nlmsg_flags`, e.g. CREATE|EXCL.
    public let flags: UInt16
    /// The largest message, in bytes including headers, that `put` and `beginNest` will build.
    public let sizeLimit: Int

    // Zero-filled capacity grows by doubling; `used` marks the end. This keeps
    // each attribute a couple of stores instead of an array append per field.
    private var storage: [UInt8]
    private var used: Int

    /// Creates an empty message.
    public init(type: UInt16, flags: UInt16, sizeLimit: Int = .max) {
        precondition(sizeLimit >= Self.headerSize, "a netlink message needs at least its 16-byte header")
        self.type = type
        self.flags = flags
        self.sizeLimit = sizeLimit
        // A fragmenting caller will fill most of its limit: allocate it once.
        storage = [UInt8](repeating: 0, count: sizeLimit <= 65536 ? sizeLimit : 512)
        used = Self.headerSize
    }

    /// Bytes so far, including the 16-byte `nlmsghdr`.
    public var count: Int { used }

    /// Bytes still free under ``sizeLimit``.
    public var remainingCapacity: Int { sizeLimit == .max ? .max : sizeLimit - used }

    /// Rounds up to the 4-byte alignment netlink uses for headers and attributes.
    @inline(__always)
    public static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }

    private mutating func reserve(_ extra: Int) {
        let needed = used + extra
        guard needed > storage.count else { return }
        // Array(repeating:) is a memset inside the optimised stdlib; appending
        // repeatElement went byte by byte and dominated debug-build encoding.
        storage.append(contentsOf: [UInt8](repeating: 0, count: Swift.max(storage.count, needed - storage.count)))
    }

    /// Appends a fixed header (`genlmsghdr`, `ifinfomsg`, `rtmsg`, ...) right after `nlmsghdr`, padded to 4 bytes.
    public mutating func appendFixedHeader<T: BitwiseCopyable>(_ header: T) {
        let size = MemoryLayout<T>.size
        let padded = Self.aligned(size)
        reserve(padded)
        let start = used
        storage.withUnsafeMutableBytes { buffer in
            withUnsafeBytes(of: header) { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + size]).copyMemory(from: source)
            }
            for index in start + size..<start + padded { buffer[index] = 0 }
        }
        used += padded
    }

    /// Writes one attribute whose payload `write` fills; false (and nothing written) when over the limit.
    @inline(__always)
    private mutating func putAttribute(
        _ type: UInt16, length: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void
    ) -> Bool {
        let total = Self.attributeHeaderSize + Self.aligned(length)
        guard length <= Int(UInt16.max) - Self.attributeHeaderSize, total <= sizeLimit - used else { return false }
        reserve(total)
        let start = used
        // Raw pointer arithmetic, not slices: slicing costs generic metadata
        // lookups in debug builds, which made 10,000 peers take 300 ms.
        storage.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress! + start
            base.storeBytes(of: UInt16(Self.attributeHeaderSize + length), as: UInt16.self)
            (base + 2).storeBytes(of: type, as: UInt16.self)
            write(UnsafeMutableRawBufferPointer(start: base + Self.attributeHeaderSize, count: length))
            // Padding must be zero; the buffer may hold bytes from a cancelled element.
            let padding = total - Self.attributeHeaderSize - length
            if padding > 0 {
                (base + Self.attributeHeaderSize + length).initializeMemory(as: UInt8.self, repeating: 0, count: padding)
            }
        }
        used += total
        return true
    }

    @inline(__always)
    private mutating func putValue<T: FixedWidthInteger>(_ type: UInt16, _ value: T) -> Bool {
        putAttribute(type, length: MemoryLayout<T>.size) { $0.storeBytes(of: value, as: T.self) }
    }

    /// Appends a u8 attribute; false when it would pass ``sizeLimit``.
    @discardableResult public mutating func put(_ type: UInt16, u8: UInt8) -> Bool { putValue(type, u8) }
    /// Appends a u16 attribute in host order; false when it would pass ``sizeLimit``.
    @discardableResult public mutating func put(_ type: UInt16, u16: UInt16) -> Bool { putValue(type, u16) }
    /// Appends a u32 attribute in host order; false when it would pass ``sizeLimit``.
    @discardableResult public mutating func put(_ type: UInt16, u32: UInt32) -> Bool { putValue(type, u32) }
    /// Appends a u64 attribute in host order; false when it would pass ``sizeLimit``.
    @discardableResult public mutating func put(_ type: UInt16, u64: UInt64) -> Bool { putValue(type, u64) }

    /// Appends an attribute holding raw bytes; false when it would pass ``sizeLimit``.
    @discardableResult
    public mutating func put(_ type: UInt16, bytes: UnsafeRawBufferPointer) -> Bool {
        putAttribute(type, length: bytes.count) { out in
            if let source = bytes.baseAddress { out.baseAddress!.copyMemory(from: source, byteCount: bytes.count) }
        }
    }

    /// Appends a NUL-terminated string attribute; false when it would pass ``sizeLimit``.
    @discardableResult
    public mutating func put(_ type: UInt16, string: String) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            putAttribute(type, length: utf8.count + 1) { out in
                if utf8.count > 0 { out.copyMemory(from: UnsafeRawBufferPointer(utf8)) }
                out[utf8.count] = 0
            }
        }
    }

    /// Opens a nested attribute with `NLA_F_NESTED` set; nil when even its header does not fit.
    public mutating func beginNest(_ type: UInt16) -> NetlinkNest? {
        let start = used
        // The nest's length is patched in endNest; the placeholder is 4 (empty).
        guard putAttribute(type | 0x8000, length: 0, { _ in }) else { return nil }
        return NetlinkNest(offset: start)
    }

    /// Closes a nest, recording its final length.
    public mutating func endNest(_ nest: NetlinkNest) {
        precondition(nest.offset >= Self.headerSize && nest.offset + Self.attributeHeaderSize <= used,
                     "endNest with a nest that was cancelled or belongs to another message")
        let length = used - nest.offset
        precondition(length <= Int(UInt16.max), "a nest cannot hold more than 65535 bytes")
        storage.withUnsafeMutableBytes { $0.storeBytes(of: UInt16(length), toByteOffset: nest.offset, as: UInt16.self) }
    }

    /// Rolls the message back to `mark` bytes (a value of ``count`` taken earlier), dropping a partial element.
    public mutating func cancel(to mark: Int) {
        precondition(mark >= Self.headerSize && mark <= used, "cancel(to:) needs a mark taken from count")
        used = mark
    }

    /// The message with its length, type and flags filled in; sequence and port are zero.
    public var bytes: [UInt8] { encoded(sequence: 0, portID: 0, extraFlags: 0) }

    /// The bytes after `nlmsghdr`: the fixed header and attributes.
    public var payload: ArraySlice<UInt8> { storage[Self.headerSize..<used] }

    /// The finished message as the socket sends it.
    public func encoded(sequence: UInt32, portID: UInt32, extraFlags: UInt16) -> [UInt8] {
        var message = Array(storage[0..<used])
        message.withUnsafeMutableBytes { header in
            header.storeBytes(of: UInt32(used), toByteOffset: 0, as: UInt32.self)
            header.storeBytes(of: type, toByteOffset: 4, as: UInt16.self)
            header.storeBytes(of: flags | extraFlags, toByteOffset: 6, as: UInt16.self)
            header.storeBytes(of: sequence, toByteOffset: 8, as: UInt32.self)
            header.storeBytes(of: portID, toByteOffset: 12, as: UInt32.self)
        }
        return message
    }
}
