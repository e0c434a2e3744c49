/// Splits received datagrams into messages and recognises ACKs, errors and DONE.
///
/// Kept apart from the socket so the rules (sequence check, extended ack,
/// DUMP_INTR) are tested on raw bytes alone.
struct NetlinkReplyParser {
    /// What ends the exchange.
    enum End { case ack, done }

    let sequence: UInt32
    let end: End
    let keepingData: Bool
    let operation: String
    private(set) var replies: [NetlinkReply] = []
    private(set) var interrupted = false
    private(set) var finished = false

    init(sequence: UInt32, end: End, keepingData: Bool, operation: String) {
        self.sequence = sequence
        self.end = end
        self.keepingData = keepingData
        self.operation = operation
    }

    /// Processes one datagram; throws the kernel's error, if it sent one.
    mutating func consume(_ datagram: UnsafeRawBufferPointer) throws(NetlinkError) {
        var offset = 0
        while !finished, datagram.count - offset >= NetlinkMessageBuilder.headerSize {
            let length = Int(datagram.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let type = datagram.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
            let flags = datagram.loadUnaligned(fromByteOffset: offset + 6, as: UInt16.self)
            let seq = datagram.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            guard length >= NetlinkMessageBuilder.headerSize, length <= datagram.count - offset else {
                throw NetlinkError(.malformed, operation: operation,
                                   detail: "message claims \(length) bytes, \(datagram.count - offset) received")
            }
            let payload = UnsafeRawBufferPointer(
                rebasing: datagram[offset + NetlinkMessageBuilder.headerSize..<offset + length])
            offset += NetlinkMessageBuilder.aligned(length)
            // A reply to an earlier, abandoned request: not ours to handle.
            guard seq == sequence else { continue }
            if flags & NetlinkFlags.dumpInterrupted != 0 { interrupted = true }
            switch type {
            case NetlinkMessageType.noop:
                continue
            case NetlinkMessageType.error:
                let status = try Self.status(of: payload, flags: flags, isError: true, operation: operation)
                if status != 0 { throw status.error(operation) }
                finished = true
            case NetlinkMessageType.done:
                let status = try Self.status(of: payload, flags: flags, isError: false, operation: operation)
                if status != 0 { throw status.error(operation) }
                if end == .done { finished = true }
            case NetlinkMessageType.overrun:
                throw NetlinkError(.system, operation: operation, errno: 105 /* ENOBUFS */)
            default:
                if keepingData { replies.append(NetlinkReply(type: type, flags: flags, payload: Array(payload))) }
            }
        }
    }

    /// An errno from an ERROR or DONE message, with any extended-ack attributes.
    struct Status: Equatable {
        var errno: Int32
        var message: String?
        var offset: UInt32?

        static func != (lhs: Status, rhs: Int) -> Bool { lhs.errno != Int32(rhs) }

        func error(_ operation: String) -> NetlinkError {
            NetlinkError(.kernel, operation: operation, errno: errno, extendedAck: message, extendedAckOffset: offset)
        }
    }

    /// Parses `struct nlmsgerr` (error, original header, maybe its payload, then TLVs) or DONE's s32.
    static func status(
        of payload: UnsafeRawBufferPointer, flags: UInt16, isError: Bool, operation: String
    ) throws(NetlinkError) -> Status {
        // A DONE from an old kernel may carry no payload at all: success.
        guard payload.count >= 4 else {
            if isError { throw NetlinkError(.truncated, operation: operation, detail: "error message without a code") }
            return Status(errno: 0)
        }
        let code = payload.loadUnaligned(as: Int32.self)
        var status = Status(errno: code == Int32.min ? Int32.max : -code)
        guard flags & NetlinkFlags.ackTLVs != 0 else { return status }
        var tlvStart = 4
        if isError {
            // The original request header follows, then its payload unless capped.
            guard payload.count >= 4 + 16 else { return status }
            let originalLength = Int(payload.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            tlvStart += flags & NetlinkFlags.capped != 0
                ? NetlinkMessageBuilder.headerSize : NetlinkMessageBuilder.aligned(originalLength)
        }
        guard tlvStart <= payload.count else { return status }
        var attributes = AttributeDecoder(Array(payload[tlvStart...])[...])
        while attributes.next() {
            switch attributes.type {
            case 1 /* NLMSGERR_ATTR_MSG */: status.message = attributes.string()
            case 2 /* NLMSGERR_ATTR_OFFS */: status.offset = attributes.u32()
            default: break
            }
        }
        return status
    }
}
