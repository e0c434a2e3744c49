import CMNL
import Glibc

/// A netlink socket opened through libmnl, with the options every request needs.
final class MNLSocketTransport: NetlinkTransport {
    private let handle: OpaquePointer
    let portID: UInt32

    /// Receive buffer size requested from the kernel. Dumps of 10,000 peers
    /// arrive faster than a busy reader drains them; 4 MiB keeps them queued.
    static let receiveBufferBytes: Int32 = 4 << 20
    /// Send buffer size: a request larger than sndbuf - 32 fails with EMSGSIZE.
    static let sendBufferBytes: Int32 = 1 << 20

    init(_ netlinkProtocol: NetlinkProtocol) throws(NetlinkError) {
        guard let handle = mnl_socket_open(netlinkProtocol.rawValue) else {
            throw NetlinkError(.system, operation: "open netlink socket", errno: errno)
        }
        self.handle = handle
        let fd = mnl_socket_get_fd(handle)
        // Root may exceed rmem_max with the FORCE variants; others get the capped value, still >= 32 KiB.
        if !Self.setSocketOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, Self.receiveBufferBytes) {
            Self.setSocketOption(fd, SOL_SOCKET, SO_RCVBUF, Self.receiveBufferBytes)
        }
        if !Self.setSocketOption(fd, SOL_SOCKET, SO_SNDBUFFORCE, Self.sendBufferBytes) {
            Self.setSocketOption(fd, SOL_SOCKET, SO_SNDBUF, Self.sendBufferBytes)
        }
        // Extended acks carry the kernel's reason text; capped acks skip echoing
        // our (possibly large) request back. Both are optional: old kernels lack them.
        Self.setSocketOption(fd, Int32(SOL_NETLINK), NETLINK_EXT_ACK, 1)
        Self.setSocketOption(fd, Int32(SOL_NETLINK), NETLINK_CAP_ACK, 1)
        do {
            _ = try systemCall("bind netlink socket") { mnl_socket_bind(handle, 0, pid_t(MNL_SOCKET_AUTOPID)) }
        } catch {
            mnl_socket_close(handle)
            throw error
        }
        portID = mnl_socket_get_portid(handle)
    }

    deinit { mnl_socket_close(handle) }

    @discardableResult
    private static func setSocketOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) -> Bool {
        var value = value
        return setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    func send(_ message: [UInt8]) throws(NetlinkError) {
        _ = try systemCall("send netlink request") {
            message.withUnsafeBytes { mnl_socket_sendto(handle, $0.baseAddress, $0.count) }
        }
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(NetlinkError) -> Int {
        // libmnl reports a datagram cut short by MSG_TRUNC as ENOSPC.
        try systemCall("receive netlink reply") { mnl_socket_recvfrom(handle, buffer.baseAddress, buffer.count) }
    }
}
