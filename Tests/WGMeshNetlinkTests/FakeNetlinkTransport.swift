import WGMeshNetlink

/// Answers each request with canned datagrams, patching in the request's sequence number.
///
/// `responder` sees every sent message (its index and bytes) and returns the
/// datagrams to deliver; their seq fields are overwritten with the request's,
/// as the kernel would set them.
final class FakeNetlinkTransport: NetlinkTransport {
    let portID: UInt32 = 4242
    private(set) var sent: [[UInt8]] = []
    private var pending: [[UInt8]] = []
    let responder: (_ index: Int, _ request: [UInt8]) -> [[UInt8]]

    init(responder: @escaping (_ index: Int, _ request: [UInt8]) -> [[UInt8]]) {
        self.responder = responder
    }

    func send(_ message: [UInt8]) throws(NetlinkError) {
        let seq = message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
        let replies = responder(sent.count, message)
        sent.append(message)
        pending += replies.map { Self.settingSequence(seq, in: $0) }
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(NetlinkError) -> Int {
        guard !pending.isEmpty else {
            throw NetlinkError(.system, operation: "fake receive", errno: 11 /* EAGAIN: nothing queued */)
        }
        let datagram = pending.removeFirst()
        datagram.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return datagram.count
    }

    /// Rewrites the seq of every message in a datagram; a seq of 0xFFFFFFFF is left alone (a stale reply).
    static func settingSequence(_ seq: UInt32, in datagram: [UInt8]) -> [UInt8] {
        var copy = datagram
        var offset = 0
        copy.withUnsafeMutableBytes { raw in
            while offset + 16 <= raw.count {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                if raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self) != 0xFFFF_FFFF {
                    raw.storeBytes(of: seq, toByteOffset: offset + 8, as: UInt32.self)
                }
                offset += max(16, (length + 3) & ~3)
            }
        }
        return copy
    }

    /// One netlink message: header (seq 0) plus payload.
    static func message(type: UInt16, flags: UInt16 = 0, seq: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.withUnsafeMutableBytes {
            $0.storeBytes(of: UInt32(16 + payload.count), toByteOffset: 0, as: UInt32.self)
            $0.storeBytes(of: type, toByteOffset: 4, as: UInt16.self)
            $0.storeBytes(of: flags, toByteOffset: 6, as: UInt16.self)
            $0.storeBytes(of: seq, toByteOffset: 8, as: UInt32.self)
        }
        bytes += payload
        while bytes.count % 4 != 0 { bytes.append(0) }
        return bytes
    }

    /// An ACK (NLMSG_ERROR with error 0), capped as with NETLINK_CAP_ACK.
    static func ack() -> [UInt8] {
        message(type: NetlinkMessageType.error, flags: NetlinkFlags.capped, payload: [0, 0, 0, 0] + [UInt8](repeating: 0, count: 16))
    }

    /// NLMSG_DONE with status 0.
    static func done(flags: UInt16 = NetlinkFlags.multi) -> [UInt8] {
        message(type: NetlinkMessageType.done, flags: flags, payload: [0, 0, 0, 0])
    }
}
