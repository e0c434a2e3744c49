internal import Glibc
import WGMeshCore

/// Sends sd_notify(3) messages (`READY=1`, `WATCHDOG=1`, `STATUS=...`,
/// `STOPPING=1`) to the socket systemd names in `NOTIFY_SOCKET`.
///
/// The protocol is one datagram per message on a Unix socket, so it needs
/// no libsystemd: a new socket per send, as sd_notify does, keeps the type
/// stateless and Sendable.
public struct SystemdNotifier: Sendable, Equatable {
    /// Where the datagrams go.
    public enum Address: Sendable, Equatable {
        /// A socket file, e.g. `/run/systemd/notify`.
        case path(String)
        /// A socket in the abstract namespace: `@name` in `NOTIFY_SOCKET`, given without the `@`.
        case abstract(String)
    }

    /// The notification socket.
    public var address: Address
    /// How often systemd expects `WATCHDOG=1` (`WATCHDOG_USEC`); nil when
    /// the unit has no watchdog, or it is meant for another process.
    public var watchdogInterval: Duration?

    /// Creates a notifier for `address`, pinging every `watchdogInterval`.
    public init(address: Address, watchdogInterval: Duration? = nil) {
        self.address = address
        self.watchdogInterval = watchdogInterval
    }

    /// The variables systemd sets for a Type=notify service.
    static let variables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]

    /// Builds the notifier from `environment`, as systemd passed it.
    ///
    /// Returns nil when `NOTIFY_SOCKET` is unset or empty (not started by
    /// systemd: nothing to do). A `WATCHDOG_PID` other than `pid` means the
    /// watchdog is another process's (a wrapper's): no watchdog then.
    public static func parse(_ environment: [String: String], pid: Int32) throws(AgentError) -> SystemdNotifier? {
        guard let socket = environment["NOTIFY_SOCKET"], !socket.isEmpty else { return nil }
        let address: Address
        if socket.hasPrefix("/") {
            address = .path(socket)
        } else if socket.hasPrefix("@"), socket.utf8.count > 1 {
            address = .abstract(String(socket.dropFirst()))
        } else {
            throw AgentError(.systemd,
                             "NOTIFY_SOCKET=\(socket) is neither a socket path (/...) nor an abstract socket (@...); unset it, or start wgmeshd from a systemd unit with Type=notify")
        }
        guard Array(socket.utf8).count <= ControlSocket.maximumPathLength else {
            throw AgentError(.systemd,
                             "NOTIFY_SOCKET=\(socket) is longer than a Unix socket address allows (\(ControlSocket.maximumPathLength) bytes); use a shorter path")
        }
        return SystemdNotifier(address: address, watchdogInterval: try watchdog(environment, pid: pid))
    }

    /// `WATCHDOG_USEC` as a duration, when it is meant for `pid`.
    private static func watchdog(_ environment: [String: String], pid: Int32) throws(AgentError) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], !text.isEmpty else { return nil }
        guard let microseconds = UInt64(text), microseconds > 0, microseconds <= UInt64(Int64.max) else {
            throw AgentError(.systemd,
                             "WATCHDOG_USEC=\(text) is not a positive number of microseconds; set WatchdogSec= in the unit, or unset it")
        }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty {
            guard let owner = Int32(owner) else {
                throw AgentError(.systemd, "WATCHDOG_PID=\(owner) is not a process id; unset it, or set it to wgmeshd's pid")
            }
            // systemd sets it so a child that inherited the variables does not ping for its parent.
            if owner != pid { return nil }
        }
        return .microseconds(Int64(microseconds))
    }

    /// Reads systemd's variables from the process environment and removes
    /// them, so that children (wireguard-go) do not inherit them and talk
    /// to systemd for us, as sd_notify's `unset_environment` does.
    public static func takeFromEnvironment() throws(AgentError) -> SystemdNotifier? {
        var environment: [String: String] = [:]
        for name in variables {
            if let value = getenv(name) { environment[name] = String(cString: value) }
            unsetenv(name)
        }
        return try parse(environment, pid: getpid())
    }

    /// Sends one message, e.g. `"READY=1\nSTATUS=3 peers, 3 ok"`.
    ///
    /// Throws when the socket is missing or refuses the datagram; systemd
    /// then never hears from us, so the caller logs it.
    public func send(_ message: String) throws(AgentError) {
        let fd: Int32
        switch SystemErrno.retrying({ socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) {
        case .success(let value): fd = value
        case .failure(let error):
            throw AgentError(.systemd, "cannot open a socket to notify systemd: \(error); check the unit's RestrictAddressFamilies= allows AF_UNIX")
        }
        defer { close(fd) }
        var (storage, length) = socketAddress()
        let bytes = Array(message.utf8)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    // MSG_NOSIGNAL: a vanished systemd must not kill us with SIGPIPE.
                    // MSG_DONTWAIT: a full queue (a busy PID 1) fails this one
                    // message instead of blocking a thread of the concurrency pool.
                    SystemErrno.retrying {
                        sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT),
                               address, length)
                    }
                }
            }
        }
        if case .failure(let error) = sent {
            throw AgentError(.systemd, "cannot notify systemd at \(self.description): \(error); is NOTIFY_SOCKET right, and is the service manager still running?")
        }
    }

    /// The `sockaddr_un` and its length: an abstract name starts with a
    /// NUL byte and its length counts exactly its bytes (no terminator).
    private func socketAddress() -> (sockaddr_un, socklen_t) {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let bytes: [UInt8]
        switch address {
        case .path(let path): bytes = Array(path.utf8) + [0]
        case .abstract(let name): bytes = [0] + Array(name.utf8)
        }
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: bytes.prefix($0.count)) }
        let header = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        return (storage, socklen_t(header + min(bytes.count, MemoryLayout.size(ofValue: storage.sun_path))))
    }
}

extension SystemdNotifier: CustomStringConvertible {
    /// The socket as `NOTIFY_SOCKET` spells it.
    public var description: String {
        switch address {
        case .path(let path): path
        case .abstract(let name): "@" + name
        }
    }
}

extension AgentError.Code {
    /// Talking to systemd (sd_notify) failed, or its variables are wrong.
    public static let systemd = AgentError.Code("systemd")
}
