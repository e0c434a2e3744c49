import Glibc
import Testing
import WGMeshTestSupport
@testable import WGMeshAgent

/// The real `wgmeshd`, started as wgmeshd.service starts it (its ExecStart=
/// and Environment=, the environment file's settings, NOTIFY_SOCKET and
/// WATCHDOG_USEC as systemd sets them), in a fresh network namespace with
/// wireguard-go and a SQLite datastore:
///
///     scripts/netns env WGMESH_ROOT_TESTS=1 WGMESH_USERSPACE_TESTS=1 .build/debug/wgmeshPackageTests.xctest \
///         --testing-library swift-testing --filter SystemdDaemonRootTests </dev/null
@Suite(.serialized, .enabled(if: SystemdRootGate.enabled))
struct SystemdDaemonRootTests {
    @Test func daemonSaysReadyPingsTheWatchdogAndStops() async throws {
        let tag = "wgsd\(getpid() % 10_000_000)"
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-systemd")
        defer {
            Self.removeNamespace(tag)
            _ = try? runProcess("/bin/rm", ["-rf", directory])
        }
        try Self.makeNamespace(tag)
        let listener = try NotifySocketForTests(path: directory + "/notify.sock")

        let daemon = try Self.startDaemon(tag, directory: directory, listener: listener)
        var exited = false
        defer { if !exited { kill(daemon, SIGKILL); _ = Self.wait(daemon) } }

        guard let start = await listener.receive(until: { $0.contains("READY=1") }, seconds: 120) else {
            Issue.record("no READY=1; log: \((try? UnitFileForTests.readText(directory + "/wgmeshd.log")) ?? "")")
            return
        }
        let ready = start.last!
        #expect(ready.notifyLines.first == "READY=1")
        #expect(ready.notifyLines.contains { $0.hasPrefix("STATUS=\(tag): ") })

        let running = try #require(
            await listener.receive(until: { _ in false }, count: 2, matching: { $0.contains("WATCHDOG=1") }))
        #expect(running.allSatisfy { $0.notifyLines.allSatisfy { $0 == "WATCHDOG=1" || $0.hasPrefix("STATUS=") } })

        // wireguard-go starts before systemdParts takes the variables: its launcher drops them.
        let children = Self.namespacePIDs(tag).filter { Self.command(of: $0) == "wireguard-go" }
        #expect(!children.isEmpty, "wireguard-go runs the interface")
        for pid in children { #expect(!Self.environment(of: pid).contains { $0.hasPrefix("NOTIFY_SOCKET=") }) }

        #expect(kill(daemon, SIGTERM) == 0)
        let end = try #require(await listener.receive(until: { $0.contains("STOPPING=1") }, seconds: 60))
        #expect(end.last!.notifyLines.first == "STOPPING=1")
        #expect(Self.wait(daemon) == 0, "wgmeshd exits 0 on SIGTERM")
        exited = true
    }

    /// wireguard-go as wgmesh-wireguard-go@.service runs it (ExecStart=,
    /// then ExecStartPost= until the socket answers), then the daemon: it
    /// adopts the interface, and a daemon restart leaves wireguard-go and
    /// the interface running.
    @Test func daemonAdoptsTheUnitsWireGuardGoAndLeavesItRunning() async throws {
        let tag = "wgsg\(getpid() % 10_000_000)"
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-systemd")
        defer {
            Self.removeNamespace(tag)
            _ = try? runProcess("/bin/rm", ["-rf", directory])
        }
        try Self.makeNamespace(tag)
        let template = try UnitFileForTests.load("wgmesh-wireguard-go@.service").unit
        // systemd's specifiers and escapes, for the instance `tag`.
        func expand(_ line: String) -> String { line.replacing("%i", with: tag).replacing("$$", with: "$") }
        let command = expand(try #require(template.value("ExecStart"))).split(separator: " ").map(String.init)
        let wireguardGo = try Self.spawn(
            "/usr/sbin/ip", ["ip", "netns", "exec", tag] + command,
            environment: template.environment.merging(["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) { a, _ in a },
            log: directory + "/wireguard-go.log")
        defer { kill(wireguardGo, SIGTERM); _ = Self.wait(wireguardGo) }
        let post = expand(try #require(template.value("ExecStartPost")))
        let shell = try #require(post.firstRange(of: " -c '"))
        let script = String(post[shell.upperBound...].dropLast())
        let waited = try runProcess("/bin/sh", ["-c", script])
        try #require(waited.status == 0, "ExecStartPost: \(waited.standardError)")

        for round in 1...2 {
            let listener = try NotifySocketForTests(path: directory + "/notify-\(round).sock")
            let daemon = try Self.startDaemon(tag, directory: directory, listener: listener)
            let ready = await listener.receive(until: { $0.contains("READY=1") }, seconds: 120)
            #expect(ready != nil, "round \(round): no READY=1")
            kill(daemon, SIGTERM)
            #expect(Self.wait(daemon) == 0)
            let log = try UnitFileForTests.readText(directory + "/wgmeshd.log")
            #expect(log.contains("adopted \(tag) (userspace WireGuard)"), "round \(round): \(log)")
            #expect(kill(wireguardGo, 0) == 0, "round \(round): wireguard-go stopped with the daemon")
        }
        let link = try runProcess("/usr/sbin/ip", ["-n", tag, "link", "show", tag])
        #expect(link.status == 0, "the interface outlives both daemon runs")
    }

    // MARK: - The namespace and the process

    /// Starts the debug wgmeshd as wgmeshd.service would: its ExecStart=
    /// arguments, Environment=, then the environment file (here the test's
    /// settings), then systemd's NOTIFY_SOCKET and WATCHDOG_USEC.
    static func startDaemon(_ tag: String, directory: String, listener: NotifySocketForTests) throws -> pid_t {
        let unit = try UnitFileForTests.load("wgmeshd.service").unit
        let command = try #require(unit.value("ExecStart")).split(separator: " ").map(String.init)
        #expect(command[0] == "/usr/local/bin/wgmeshd")
        var environment = unit.environment
        #expect(environment.keys.sorted() == ["WGMESH_CONTROL_SOCKET", "WGMESH_STATE_DIR"])
        let environmentFile = [
            "WGMESH_STATE_DIR": directory + "/state", "WGMESH_CONTROL_SOCKET": directory + "/run/wgmeshd.sock",
            "WGMESH_DATASTORE": "sqlite://\(directory)/datastore.db", "WGMESH_NODE_NAME": "sd1",
            "WGMESH_WIREGUARD_BACKEND": "userspace", "WGMESH_INTERFACE": tag,
        ]
        environment.merge(environmentFile) { _, file in file }
        environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        environment["NOTIFY_SOCKET"] = listener.notifySocket
        environment["WATCHDOG_USEC"] = "2000000"
        return try spawn(
            "/usr/sbin/ip", ["ip", "netns", "exec", tag, SystemdUnitTests.debugDaemon] + command.dropFirst(),
            environment: environment, log: directory + "/wgmeshd.log")
    }

    /// A namespace whose default route leaves through a veth (no dummy module here), so the
    /// daemon finds an underlay address as it would on a host.
    static func makeNamespace(_ name: String) throws {
        removeNamespace(name)
        for arguments in [["netns", "add", name], ["-n", name, "link", "set", "lo", "up"],
                          ["-n", name, "link", "add", "sd0", "type", "veth", "peer", "name", "sd1"],
                          ["-n", name, "link", "set", "sd1", "up"],
                          ["-n", name, "address", "add", "10.231.7.1/24", "dev", "sd0"],
                          ["-n", name, "link", "set", "sd0", "up"],
                          ["-n", name, "route", "add", "default", "via", "10.231.7.254", "dev", "sd0"]]
        {
            let result = try runProcess("/usr/sbin/ip", arguments)
            try #require(result.status == 0, "ip \(arguments.joined(separator: " ")): \(result.standardError)")
        }
    }

    /// Stops what still runs in the namespace (wireguard-go), then deletes it.
    static func removeNamespace(_ name: String) {
        for pid in namespacePIDs(name) {
            kill(pid, SIGTERM)
        }
        for pid in namespacePIDs(name) {
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(20_000) }
            kill(pid, SIGKILL)
        }
        _ = try? runProcess("/usr/sbin/ip", ["netns", "del", name])
    }

    static func namespacePIDs(_ name: String) -> [pid_t] {
        guard let result = try? runProcess("/usr/sbin/ip", ["netns", "pids", name]), result.status == 0 else { return [] }
        return result.standardOutput.split(separator: "\n").compactMap { pid_t($0) }
    }

    static func command(of pid: pid_t) -> String {
        ((try? UnitFileForTests.readText("/proc/\(pid)/comm")) ?? "").split(separator: "\n").first.map(String.init) ?? ""
    }

    static func environment(of pid: pid_t) -> [String] {
        ((try? UnitFileForTests.readText("/proc/\(pid)/environ")) ?? "").split(separator: "\0").map(String.init)
    }

    /// Starts `program` with exactly `environment`, output to `log`.
    static func spawn(_ program: String, _ arguments: [String], environment: [String: String], log: String) throws
        -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard result == 0 else { throw TestSocketError(text: "posix_spawn \(program): errno \(result)") }
        return pid
    }

    /// The exit status, or 128 + signal.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}

/// Root and wireguard-go (the suite's own gate: an attribute may not read
/// the suite it is attached to).
enum SystemdRootGate {
    static let enabled: Bool = flag("WGMESH_ROOT_TESTS") && flag("WGMESH_USERSPACE_TESTS")

    static func flag(_ name: String) -> Bool { getenv(name).map { String(cString: $0) } == "1" }
}

extension NotifySocketForTests {
    /// Messages until `count` of them satisfy `matching`; nil on a timeout.
    func receive(until done: (String) -> Bool, count: Int, matching: (String) -> Bool,
                 seconds: Int = 60) async -> [String]?
    {
        var messages: [String] = []
        var matched = 0
        while let message = await receive(seconds: seconds) {
            messages.append(message)
            if matching(message) { matched += 1 }
            if matched >= count || done(message) { return messages }
        }
        return nil
    }
}
