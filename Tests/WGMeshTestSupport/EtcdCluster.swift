import Glibc
import Synchronization

/// A throwaway etcd cluster on 127.0.0.1 for tests that need the real thing.
///
/// Each member is a `/usr/bin/etcd` child with its data and log under one
/// fresh temporary directory; `stop()` (or deinit) kills them and removes it.
/// Elections are tuned fast (heartbeat 50 ms, election 500 ms) so failover
/// tests do not wait seconds for a new leader.
public final class EtcdCluster: Sendable {
    /// Where etcd's binary lives (Debian's etcd-server).
    public static let etcdPath = "/usr/bin/etcd"
    /// Where etcdctl lives (Debian's etcd-client).
    public static let etcdctlPath = "/usr/bin/etcdctl"

    /// The temporary directory holding every member's data dir and log.
    public let directory: String
    /// Client addresses as "127.0.0.1:port", one per member, in member order.
    public let endpoints: [String]
    /// Client URLs ("http://..." or "https://..." with TLS), in member order.
    public let clientURLs: [String]
    /// The certificates the cluster runs with, when started with TLS.
    public let tls: EtcdTestTLS?

    let members: [EtcdMember]
    private let pids: Mutex<[pid_t?]>

    private init(directory: String, members: [EtcdMember], tls: EtcdTestTLS?) {
        self.directory = directory
        self.members = members
        self.tls = tls
        endpoints = members.map { "127.0.0.1:\($0.clientPort)" }
        clientURLs = members.map { $0.clientURL }
        pids = Mutex(Array(repeating: nil, count: members.count))
    }

    deinit { stop() }

    /// Starts `members` etcd processes and waits (up to 30 s) until each
    /// answers a health check. `auth` is accepted for later use and does
    /// nothing yet: enable RBAC with ``etcdctl(_:user:)`` instead.
    /// With `tls`, clients must use https and present a certificate signed
    /// by the test CA.
    public static func start(members: Int = 1, auth: Bool = false, tls: EtcdTestTLS? = nil) throws -> EtcdCluster {
        precondition(members >= 1, "a cluster needs at least one member")
        var lastError: (any Error)?
        // Ports are picked at random and probed, but another test can grab
        // one between the probe and etcd's bind; a fresh set of ports fixes it.
        for _ in 0..<4 {
            let directory = try makeTemporaryDirectory()
            let chosen = try EtcdMember.allocate(count: members, directory: directory, tls: tls)
            let cluster = EtcdCluster(directory: directory, members: chosen, tls: tls)
            do {
                for index in chosen.indices { try cluster.launch(member: index) }
                try cluster.waitUntilHealthy(members: Array(chosen.indices), seconds: 30)
                return cluster
            } catch {
                lastError = error
                cluster.stop()
            }
        }
        throw lastError ?? EtcdClusterError(reason: "etcd did not start")
    }

    /// The index of the member that is leader now, waiting up to 10 s for
    /// an election to finish among the members still running.
    public func leaderIndex() throws -> Int {
        let deadline = monotonicSeconds() + 10
        while true {
            for index in members.indices where isRunning(member: index) {
                let result = try etcdctl(["endpoint", "status"], endpoints: [endpoints[index]])
                // Simple output: endpoint, ID, version, db size, is leader, ...
                let fields = result.standardOutput.split(separator: ",").map {
                    $0.trimmingCharacters(in: " \n")
                }
                if result.status == 0, fields.count > 4, fields[4] == "true" { return index }
            }
            if monotonicSeconds() > deadline {
                throw EtcdClusterError(reason: "no etcd member reports being leader after 10 s; see the logs in \(directory)")
            }
            usleep(100_000)
        }
    }

    /// Kills one member with SIGKILL, as a crash would.
    public func kill(member index: Int) {
        let pid = pids.withLock { pids -> pid_t? in
            defer { pids[index] = nil }
            return pids[index]
        }
        guard let pid else { return }
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Starts a killed member again on its old ports and data, and waits
    /// until it answers.
    public func restart(member index: Int) throws {
        kill(member: index)
        try launch(member: index)
        try waitUntilHealthy(members: [index], seconds: 30)
    }

    /// Whether the member's process is running (it was not killed).
    public func isRunning(member index: Int) -> Bool {
        pids.withLock { $0[index] != nil }
    }

    /// Kills every member and removes the directory. Safe to call twice.
    public func stop() {
        for index in members.indices { kill(member: index) }
        _ = try? runProcess("/bin/rm", ["-rf", directory])
    }

    /// Runs etcdctl against the cluster (all members, or `endpoints`), with
    /// the TLS flags the cluster needs and `--user` when given ("name:password").
    public func etcdctl(_ arguments: [String], user: String? = nil, endpoints: [String]? = nil) throws
        -> ProcessResult
    {
        var flags = ["--endpoints=" + (endpoints ?? self.endpoints).joined(separator: ","),
                     "--dial-timeout=1s", "--command-timeout=3s"]
        if let tls {
            flags += ["--cacert=\(tls.caFile)", "--cert=\(tls.clientCertFile)", "--key=\(tls.clientKeyFile)"]
        }
        if let user { flags.append("--user=\(user)") }
        return try runProcess(Self.etcdctlPath, flags + arguments)
    }

    private func launch(member index: Int) throws {
        let member = members[index]
        let arguments = member.arguments(cluster: members)
        let pid = try spawnDetached(Self.etcdPath, arguments, logPath: member.logPath)
        pids.withLock { $0[index] = pid }
    }

    private func waitUntilHealthy(members indices: [Int], seconds: Double) throws {
        let deadline = monotonicSeconds() + seconds
        var pending = indices
        while !pending.isEmpty {
            for index in pending {
                if let pid = pids.withLock({ $0[index] }), exited(pid) {
                    pids.withLock { $0[index] = nil }
                    throw EtcdClusterError(
                        reason: "etcd member \(index) exited while starting; see \(members[index].logPath)")
                }
            }
            pending = try pending.filter { index in
                try etcdctl(["endpoint", "health"], endpoints: [endpoints[index]]).status != 0
            }
            if pending.isEmpty { break }
            if monotonicSeconds() > deadline {
                throw EtcdClusterError(
                    reason: "etcd members \(pending) not healthy after \(Int(seconds)) s; see the logs in \(directory)")
            }
            usleep(100_000)
        }
    }
}

/// The launcher failed: a reason naming the log to read.
public struct EtcdClusterError: Error, CustomStringConvertible {
    /// What failed and where to look.
    public var reason: String
    public var description: String { reason }
}

/// Whether a child has exited (reaping it), without waiting.
private func exited(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == pid
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// A fresh directory under $TMPDIR (or /tmp), named `<prefix>-XXXXXX`; the caller removes it.
public func makeTemporaryDirectory(prefix: String = "wgmesh-etcd") throws -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw EtcdClusterError(reason: "mkdtemp in \(base): \(String(cString: strerror(errno)))")
    }
    return String(cString: made)
}

/// Starts a long-running child with stdin from /dev/null and stdout and
/// stderr appended to `logPath`; the caller reaps it.
private func spawnDetached(_ path: String, _ arguments: [String], logPath: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Other tests' pipe ends must not stay open in a long-lived etcd, or
    // their readers would never see EOF. glibc 2.34 has closefrom for spawn,
    // but Swift's Glibc module does not show it, so look it up.
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw EtcdClusterError(reason: "posix_spawn \(path): \(String(cString: strerror(spawned)))")
    }
    return pid
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
