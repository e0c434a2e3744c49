import Glibc
import WGMeshNetlink

/// A netlink transport that answers each request with scripted messages, like
/// mdlayher/netlink's test connections. Each message goes out as its own
/// datagram, renumbered to the request's sequence so the socket accepts it.
final class ScriptedTransport: NetlinkTransport {
    let portID: UInt32 = 4242
    private(set) var sent: [[UInt8]] = []
    private var script: [[[UInt8]]]
    private var pending: [[UInt8]] = []

    /// `script[i]` answers the i-th request.
    init(_ script: [[[UInt8]]]) { self.script = script }

    func send(_ message: [UInt8]) throws(NetlinkError) {
        sent.append(message)
        guard !script.isEmpty else { throw NetlinkError(.system, operation: "scripted send", errno: EPIPE) }
        pending = script.removeFirst().map { reply in
            var copy = reply
            copy.replaceSubrange(8..<12, with: message[8..<12])
            return copy
        }
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(NetlinkError) -> Int {
        guard !pending.isEmpty else { throw NetlinkError(.system, operation: "scripted receive", errno: EAGAIN) }
        let datagram = pending.removeFirst()
        datagram.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return datagram.count
    }

    /// An NLMSG_ERROR carrying `errno` (0: an ACK), with the capped original header.
    static func ack(errno: Int32 = 0) -> [UInt8] {
        var message: [UInt8] = [36, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        withUnsafeBytes(of: -errno) { message += $0 }
        return message + [UInt8](repeating: 0, count: 16)
    }

    /// NLMSG_DONE ending a dump.
    static let done: [UInt8] = [20, 0, 0, 0, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
}
