internal import Glibc
import WGMeshCore

/// One Unix stream socket of the control protocol; closes it in `deinit`.
///
/// Unchecked Sendable: one thread uses a socket at a time (the server hands
/// the listener to SwiftNIO with ``releaseDescriptor()`` and never touches it again).
///
/// Every read and write waits with poll until a deadline, so neither a
/// silent client nor a hung daemon can hold the other forever.
final class ControlSocket: @unchecked Sendable {
    /// The descriptor, owned until ``releaseDescriptor()``.
    let fd: Int32
    private var released = false

    /// Takes ownership of `fd`.
    init(fd: Int32) { self.fd = fd }

    deinit { if !released { close(fd) } }

    /// Hands the descriptor to a new owner (SwiftNIO, which closes it); this object no longer will.
    func releaseDescriptor() -> Int32 {
        released = true
        return fd
    }

    /// A new unbound stream socket, close-on-exec.
    static func make() -> Result<ControlSocket, SystemErrno> {
        SystemErrno.retrying { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
            .map(ControlSocket.init(fd:))
    }

    /// The address of `path`, or nil when the path does not fit sun_path.
    static func address(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { out in
            out.copyBytes(from: bytes)
            out[bytes.count] = 0
        }
        return address
    }

    /// The longest path a socket can have (sun_path less its NUL).
    static var maximumPathLength: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// Connects to the socket at `path`.
    static func connect(to path: String) -> Result<ControlSocket, SystemErrno> {
        guard var address = address(path) else { return .failure(SystemErrno(ENAMETOOLONG)) }
        return make().flatMap { socket in
            SystemErrno.retrying {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }.map { _ in socket }
        }
    }

    /// Binds to `path` (which must not exist) and listens.
    static func listen(at path: String) -> Result<ControlSocket, SystemErrno> {
        guard var address = address(path) else { return .failure(SystemErrno(ENAMETOOLONG)) }
        return make().flatMap { socket in
            SystemErrno.retrying {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
            .flatMap { _ in SystemErrno.retrying { Glibc.listen(socket.fd, 16) } }
            .map { _ in socket }
        }
    }

    /// Waits up to `milliseconds` for `events` on the socket; true when ready.
    func wait(for events: Int16, milliseconds: Int32) -> Result<Bool, SystemErrno> {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        return SystemErrno.retrying { poll(&descriptor, 1, milliseconds) }.map { $0 > 0 }
    }

    /// Reads until a newline, end of file, `limit` bytes or `deadline`
    /// (monotonic milliseconds). Returns the bytes before the newline and
    /// why reading stopped.
    func readLine(limit: Int, deadline: Int64) -> (bytes: [UInt8], end: LineEnd) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let remaining = deadline - Self.monotonicMilliseconds()
            guard remaining > 0, case .success(true) = wait(for: Int16(POLLIN), milliseconds: Int32(remaining)) else {
                return (bytes, .timedOut)
            }
            let count = chunk.withUnsafeMutableBytes { buffer in
                SystemErrno.retrying { recv(fd, buffer.baseAddress, buffer.count, 0) }
            }
            switch count {
            case .failure(let error): return (bytes, .failed(error))
            case .success(0): return (bytes, .endOfFile)
            case .success(let count):
                if let newline = chunk[0..<count].firstIndex(of: UInt8(ascii: "\n")) {
                    bytes += chunk[0..<newline]
                    return bytes.count > limit ? (Array(bytes.prefix(limit)), .tooLong) : (bytes, .newline)
                }
                bytes += chunk[0..<count]
                if bytes.count > limit { return (Array(bytes.prefix(limit)), .tooLong) }
            }
        }
    }

    /// Why ``readLine(limit:deadline:)`` stopped.
    enum LineEnd: Equatable {
        case newline, endOfFile, tooLong, timedOut
        case failed(SystemErrno)
    }

    /// Writes all of `bytes` before `deadline`; false when it could not.
    @discardableResult
    func writeAll(_ bytes: [UInt8], deadline: Int64) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let remaining = deadline - Self.monotonicMilliseconds()
            guard remaining > 0, case .success(true) = wait(for: Int16(POLLOUT), milliseconds: Int32(remaining)) else {
                return false
            }
            let sent = bytes.withUnsafeBytes { buffer in
                // MSG_NOSIGNAL: a peer that hung up must not kill the daemon with SIGPIPE.
                SystemErrno.retrying {
                    send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                }
            }
            guard case .success(let count) = sent else { return false }
            offset += count
        }
        return true
    }

    /// Milliseconds on the monotonic clock, for deadlines.
    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
