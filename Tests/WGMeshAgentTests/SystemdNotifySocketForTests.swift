import Glibc

/// The test's side of NOTIFY_SOCKET: a bound datagram socket, as systemd
/// has one, that hands back each message the daemon sends.
final class NotifySocketForTests {
    /// What NOTIFY_SOCKET is set to: the path, or `@name` for an abstract socket.
    let notifySocket: String
    private let fd: Int32

    /// Binds a socket file at `path`.
    convenience init(path: String) throws {
        try self.init(notifySocket: path, address: Array(path.utf8) + [0])
    }

    /// Binds an abstract socket named `name` (no file).
    convenience init(abstract name: String) throws {
        try self.init(notifySocket: "@" + name, address: [0] + Array(name.utf8))
    }

    private init(notifySocket: String, address bytes: [UInt8]) throws {
        self.notifySocket = notifySocket
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSocketError(text: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw TestSocketError(text: "bind \(notifySocket): errno \(code)")
        }
    }

    deinit { close(fd) }

    /// The next message, or nil when none came within `seconds` (a guard
    /// against a hung test, not a timing assertion). Polls without blocking
    /// and sleeps in between: a blocked thread of the small cooperative pool
    /// could be the one the sender needs.
    func receive(seconds: Int = 60) async -> String? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 0) <= 0 {
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(5))) != nil else {
                return nil
            }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Messages until one satisfies `done` (included), or nil on a timeout.
    func receive(until done: (String) -> Bool, seconds: Int = 60) async -> [String]? {
        var messages: [String] = []
        while let message = await receive(seconds: seconds) {
            messages.append(message)
            if done(message) { return messages }
        }
        return nil
    }
}

/// Why the test socket could not be made.
struct TestSocketError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

extension String {
    /// The assignments of one sd_notify message, e.g. ["READY=1", "STATUS=..."].
    var notifyLines: [Substring] { split(separator: "\n") }
}
