import WGMeshNetlink

/// A netlink transport that records requests and answers with canned datagrams.
///
/// Each reply's seq is overwritten with the request's, as the kernel would
/// reply, so captured bytes can be replayed to a fresh socket.
final class KernelFakeTransport: NetlinkTransport {
    let portID: UInt32 = 777
    private(set) var sent: [[UInt8]] = []
    private var pending: [[UInt8]] = []
    let responder: (_ index: Int, _ request: [UInt8]) -> [[UInt8]]

    init(responder: @escaping (_ index: Int, _ request: [UInt8]) -> [[UInt8]]) { self.responder = responder }

    func send(_ message: [UInt8]) throws(NetlinkError) {
        let seq = message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
        pending += responder(sent.count, message).map { Self.setting(seq, in: $0) }
        sent.append(message)
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(NetlinkError) -> Int {
        guard !pending.isEmpty else { throw NetlinkError(.system, operation: "fake receive", errno: 11) }
        let datagram = pending.removeFirst()
        datagram.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return datagram.count
    }

    private static func setting(_ seq: UInt32, in datagram: [UInt8]) -> [UInt8] {
        var copy = datagram
        copy.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset + 16 <= raw.count {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                raw.storeBytes(of: seq, toByteOffset: offset + 8, as: UInt32.self)
                offset += max(16, (length + 3) & ~3)
            }
        }
        return copy
    }

    /// A capped ACK.
    static let ack: [UInt8] = KernelFixtures.hex("24000000 02000001 00000000 00000000 00000000 24000000 20000500 00000000 00000000")

    /// An error reply with `errno` (positive), capped.
    static func error(_ errno: Int32) -> [UInt8] {
        var bytes = ack
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: -errno, toByteOffset: 16, as: Int32.self) }
        return bytes
    }

    /// The request with seq, pid and flags zeroed, for comparing with captures.
    static func normalised(_ message: [UInt8]) -> [UInt8] {
        var copy = message
        for index in 6..<16 { copy[index] = 0 }
        return copy
    }
}
