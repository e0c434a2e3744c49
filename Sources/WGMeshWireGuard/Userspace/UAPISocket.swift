import Glibc
import WGMeshCore
internal import WGMeshSystem

/// One connection to a userspace WireGuard process's control socket; closes it in `deinit`.
///
/// Reads are buffered so a 10,000-peer reply costs a few dozen `recv` calls, not one per line.
final class UAPISocket {
    /// How long one `recv` may wait. wireguard-go answers a set only after applying all of it,
    /// and 10,000 peers take about 1.2 s here, so this is generous: it only catches a hung process.
    static let receiveTimeoutSeconds = 120

    private let fd: Int32
    /// The device, for error messages.
    let device: String
    // Raw memory rather than an array: typed throws pass straight through, and no copy-on-write checks.
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var reachedEOF = false

    /// Connects to `path`. A missing or refused socket is `.noSuchDevice`, as `wg` reports it.
    init(path: String, device: String) throws(WireGuardError) {
        self.device = device
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw WireGuardError(.system, device: device, "Unable to access interface \(device): socket path '\(path)' is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { out in
            out.copyBytes(from: pathBytes)
            out[pathBytes.count] = 0
        }
        let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else {
            let code = errno
            throw WireGuardError(.system, device: device, errno: code, "Unable to access interface \(device): socket: \(WireGuardError.describe(errno: code))")
        }
        var timeout = timeval(tv_sec: Self.receiveTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = SystemErrno.retrying {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        if case .failure(let failure) = connected {
            close(socketFD)
            throw Self.connectError(failure.rawValue, device: device, path: path)
        }
        fd = socketFD
        buffer = .allocate(byteCount: 64 * 1024, alignment: 1)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    private static func connectError(_ code: Int32, device: String, path: String) -> WireGuardError {
        switch code {
        case ENOENT:
            return WireGuardError(.noSuchDevice, device: device, errno: ENODEV, "Unable to access interface \(device): No such device")
        case ECONNREFUSED:
            // The process died without removing its socket.
            return WireGuardError(.noSuchDevice, device: device, errno: code,
                                  "Unable to access interface \(device): No such device (stale socket \(path); remove it)")
        case EACCES, EPERM:
            return WireGuardError(.system, device: device, errno: code,
                                  "Unable to access interface \(device): \(WireGuardError.describe(errno: code)) (the socket is root-only: run as root)")
        default:
            return WireGuardError(.system, device: device, errno: code,
                                  "Unable to access interface \(device): connect \(path): \(WireGuardError.describe(errno: code))")
        }
    }

    /// Whether a process accepts connections on `path`; a refused or missing socket is stale.
    static func accepts(path: String) -> Bool {
        (try? UAPISocket(path: path, device: "")) != nil
    }

    /// The process serving the socket at `path` (its pid, from the kernel); nil when nobody
    /// answers there or the kernel does not say.
    static func servingProcess(path: String) -> Int32? {
        guard let socket = try? UAPISocket(path: path, device: "") else { return nil }
        return SystemCalls.unixPeerProcess(socket.fd)
    }

    /// Writes all of `bytes`. Returns false when the peer closed its end: wireguard-go stops
    /// reading after the first bad line and closes, but its errno reply may already be waiting.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws(WireGuardError) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = SystemErrno.retrying {
                send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            switch sent {
            case .success(let count): offset += count
            case .failure(let failure) where failure.rawValue == EPIPE || failure.rawValue == ECONNRESET:
                return false
            case .failure(let failure):
                throw WireGuardError(.system, device: device, errno: failure.rawValue,
                                     "Unable to modify interface \(device): send: \(failure)")
            }
        }
        return true
    }

    /// Calls `body` with the next line, without its `\n`; nil at end of stream.
    ///
    /// Bytes after the last newline at end of stream mean the reply was cut short.
    func nextLine<R>(_ body: (UnsafeRawBufferPointer) throws(WireGuardError) -> R) throws(WireGuardError) -> R? {
        var scanFrom = start
        while true {
            if let newline = findNewline(from: scanFrom) {
                let lineStart = start
                start = newline + 1
                return try body(UnsafeRawBufferPointer(rebasing: buffer[lineStart..<newline]))
            }
            let scanned = end - start
            if reachedEOF {
                if start != end {
                    throw WireGuardError(.malformedReply, device: device,
                                         "Unable to access interface \(device): the reply ended in the middle of a line (the process may have crashed)")
                }
                return nil
            }
            try fill()
            // fill() may have moved the unread bytes to the front.
            scanFrom = start + scanned
        }
    }

    private func findNewline(from index: Int) -> Int? {
        guard index < end, let base = buffer.baseAddress,
              let found = memchr(base + index, 0x0A, end - index) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// Moves unread bytes to the front, grows when a single line fills the buffer, then reads once.
    private func fill() throws(WireGuardError) {
        if start > 0 {
            let unread = end - start
            if unread > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: unread) }
            start = 0
            end = unread
        }
        if end == buffer.count {
            // One line longer than the buffer: double it.
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 1)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        let capacity = buffer.count - end
        let base = buffer.baseAddress! + end
        let received = SystemErrno.retrying { recv(fd, base, capacity, 0) }
        switch received {
        case .success(0): reachedEOF = true
        case .success(let count): end += count
        case .failure(let failure) where failure.rawValue == EAGAIN || failure.rawValue == EWOULDBLOCK:
            throw WireGuardError(.uapiTimedOut, device: device, errno: failure.rawValue,
                                 "Unable to access interface \(device): no answer from the userspace process in \(Self.receiveTimeoutSeconds) s; it may be hung: restart it")
        case .failure(let failure) where failure.rawValue == ECONNRESET:
            reachedEOF = true
        case .failure(let failure):
            throw WireGuardError(.system, device: device, errno: failure.rawValue,
                                 "Unable to access interface \(device): recv: \(failure)")
        }
    }
}
