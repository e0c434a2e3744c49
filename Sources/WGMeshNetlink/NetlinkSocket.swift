/// A netlink socket that sends requests and collects their replies.
///
/// Owns an `mnl_socket` (closed in `deinit`). Not thread-safe: give each
/// thread its own socket or guard it with a lock. Requests are numbered; a
/// reply with another sequence number (left over from an abandoned request)
/// is skipped.
public final class NetlinkSocket {
    private let transport: any NetlinkTransport
    private var sequence: UInt32 = 0
    private let buffer: UnsafeMutableRawBufferPointer

    /// The receive buffer passed to each `recvfrom`. The kernel sizes dump
    /// messages from the largest buffer a reader offered (capped near 32 KiB),
    /// so anything smaller than that means more, smaller messages.
    public static let receiveBufferSize = 64 * 1024

    /// How many times a dump is restarted after `NLM_F_DUMP_INTR` before giving up.
    public var maximumDumpRestarts = 32

    /// Opens and binds a socket (receive buffer >= 32 KiB, extended acks on).
    public convenience init(_ protocol: NetlinkProtocol) throws(NetlinkError) {
        self.init(transport: try MNLSocketTransport(`protocol`))
    }

    /// Uses `transport` instead of a kernel socket; for tests with captured replies.
    public init(transport: any NetlinkTransport) {
        self.transport = transport
        buffer = .allocate(byteCount: Self.receiveBufferSize, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// Sends with REQUEST|ACK, waits for the ACK; kernel errors become NetlinkError(.kernel, errno, extack).
    public func execute(_ message: NetlinkMessageBuilder, operation: String) throws(NetlinkError) {
        let seq = try send(message, flags: NetlinkFlags.request | NetlinkFlags.ack, operation: operation)
        _ = try collect(sequence: seq, until: .ack, keepingData: false, operation: operation)
    }

    /// Sends with REQUEST|DUMP (plus `message`'s flags); returns every reply until DONE; restarts on NLM_F_DUMP_INTR.
    public func dump(_ message: NetlinkMessageBuilder, operation: String) throws(NetlinkError) -> [NetlinkReply] {
        var attempts = 0
        while true {
            let seq = try send(message, flags: NetlinkFlags.request | NetlinkFlags.dump, operation: operation)
            let (replies, interrupted) = try collect(sequence: seq, until: .done, keepingData: true, operation: operation)
            if !interrupted { return replies }
            attempts += 1
            if attempts > maximumDumpRestarts {
                throw NetlinkError(.interrupted, operation: operation, errno: 4 /* EINTR */)
            }
        }
    }

    /// Sends a request that expects data replies (not a dump) plus the ACK, e.g. CTRL_CMD_GETFAMILY.
    public func query(_ message: NetlinkMessageBuilder, operation: String) throws(NetlinkError) -> [NetlinkReply] {
        let seq = try send(message, flags: NetlinkFlags.request | NetlinkFlags.ack, operation: operation)
        return try collect(sequence: seq, until: .ack, keepingData: true, operation: operation).replies
    }

    private func send(_ message: NetlinkMessageBuilder, flags: UInt16, operation: String) throws(NetlinkError) -> UInt32 {
        sequence &+= 1
        if sequence == 0 { sequence = 1 }
        try transport.send(message.encoded(sequence: sequence, portID: transport.portID, extraFlags: flags))
        return sequence
    }

    /// Reads datagrams until the ACK (or DONE) for `sequence`, throwing the first kernel error.
    private func collect(
        sequence: UInt32, until end: NetlinkReplyParser.End, keepingData: Bool, operation: String
    ) throws(NetlinkError) -> (replies: [NetlinkReply], interrupted: Bool) {
        var parser = NetlinkReplyParser(sequence: sequence, end: end, keepingData: keepingData, operation: operation)
        while !parser.finished {
            let length = try transport.receive(into: buffer)
            try parser.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
        }
        return (parser.replies, parser.interrupted)
    }
}
