import Glibc
import WGMeshCore
internal import WGMeshSystem

/// Starts `wireguard-go NAME` as a daemon that outlives us, and waits until its socket answers.
///
/// wireguard-go creates the TUN device and the UAPI socket, re-executes itself in the
/// background and exits; we reap that first process, then poll the socket.
enum WireGuardGoLauncher {
    /// How long to wait for the socket to accept connections.
    static let socketTimeoutSeconds = 5.0

    /// glibc's POSIX_SPAWN_SETSID (spawn.h), hidden from Swift behind _GNU_SOURCE.
    static let spawnSetSID: Int16 = 0x80

    /// Variables that would make wireguard-go stay in the foreground or expect inherited
    /// descriptors we do not pass; dropping them keeps the daemon path predictable.
    /// systemd's notify variables go too: they name wgmeshd's unit, and a
    /// child that inherited them could speak for the daemon.
    static let strippedEnvironment: Set<String> = [
        "WG_PROCESS_FOREGROUND", "WG_TUN_FD", "WG_UAPI_FD", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
    ]

    /// The program to run: `WG_QUICK_USERSPACE_IMPLEMENTATION` (as wg-quick honours it), else `wireguard-go`.
    static var program: String {
        if let custom = getenv("WG_QUICK_USERSPACE_IMPLEMENTATION"), custom.pointee != 0 { return String(cString: custom) }
        return "wireguard-go"
    }

    /// Starts the daemon for `name` and waits for `socketPath` to accept a connection.
    static func start(_ name: InterfaceName, socketPath: String, program: String = program) throws(WireGuardError) {
        var output: [Int32] = [-1, -1]
        // pipe2 is GNU-only in Glibc's Swift overlay: pipe, then close-on-exec by hand.
        guard pipe(&output) == 0 else {
            let code = errno
            throw WireGuardError(.system, device: name.rawValue, errno: code, "cannot start \(program) for \(name): pipe: \(WireGuardError.describe(errno: code))")
        }
        _ = fcntl(output[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(output[1], F_SETFD, FD_CLOEXEC)
        let pid: pid_t
        do {
            defer { close(output[1]) }
            pid = try spawn(program, name: name, output: output[1])
        } catch {
            close(output[0])
            throw error
        }
        let status = waitForExit(pid)
        let message = drain(output[0])
        close(output[0])
        guard let status, status == 0 else {
            let why = status.map { "it exited with status \($0)" } ?? "it did not exit within 5 s (stopped it)"
            throw WireGuardError(.userspaceLaunchFailed, device: name.rawValue,
                                 "cannot start \(program) for \(name): \(why)\(message.isEmpty ? "" : ": \(message)")")
        }
        try waitForSocket(socketPath, name: name, program: program)
    }

    private static func spawn(_ program: String, name: InterfaceName, output: Int32) throws(WireGuardError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own session: our terminal's hang-up or our process group's signals must not reach it.
        posix_spawnattr_setflags(&attributes, Self.spawnSetSID)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        // Nothing else of ours: wireguard-go outlives the daemon, and an inherited socket (the
        // metrics listener, a datastore connection) would stay open in it, so the next
        // wgmeshd could not bind its metrics port. Not every library sets close-on-exec.
        Self.closeInheritedDescriptors(&actions)

        let arguments = [program, name.rawValue]
        let environment = childEnvironment(currentEnvironment())
        var pid = pid_t()
        let result = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in posix_spawnp(&pid, program, &actions, &attributes, argv, envp) }
        }
        guard result == 0 else {
            if result == ENOENT {
                throw WireGuardError(.noImplementation, device: name.rawValue, errno: result,
                                     "cannot create \(name): the kernel has no WireGuard and \(program) is not installed; install wireguard-go (apt-get install wireguard-go) or load the kernel module (modprobe wireguard)")
            }
            throw WireGuardError(.userspaceLaunchFailed, device: name.rawValue, errno: result,
                                 "cannot start \(program) for \(name): \(WireGuardError.describe(errno: result))")
        }
        return pid
    }

    /// Makes the child close every descriptor above 2: glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (2.34 and later, through the CWGMeshSystem shim),
    /// else, should it fail, each open descriptor is marked close-on-exec here first.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if SystemCalls.closeDescriptorsInChild(&actions, from: 3) == 0 { return }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let descriptor = Int32(name), descriptor > 2, descriptor != own else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Reaps the first process; nil (after killing it) when it has not exited in time.
    private static func waitForExit(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<500 {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                // WIFEXITED/WEXITSTATUS are macros Swift cannot see.
                if status & 0x7F == 0 { return (status >> 8) & 0xFF }
                return 128 + (status & 0x7F)
            }
            if reaped == -1, errno != EINTR { return nil }
            usleep(10_000)
        }
        kill(pid, SIGTERM)
        _ = waitpid(pid, &status, 0)
        return nil
    }

    /// Whatever the first process printed, without blocking: the daemon may still hold the pipe.
    private static func drain(_ fd: Int32) -> String {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 16_384 {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        // The "kernel has first class support" banner is noise; keep the last meaningful line.
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty && !$0.contains("│") && !$0.contains("─") }
        return lines.last.map(String.init) ?? ""
    }

    private static func waitForSocket(_ path: String, name: InterfaceName, program: String) throws(WireGuardError) {
        let steps = Int(socketTimeoutSeconds * 100)
        for _ in 0..<steps {
            if UAPISocket.accepts(path: path) { return }
            usleep(10_000)
        }
        throw WireGuardError(.userspaceLaunchFailed, device: name.rawValue,
                             "\(program) started for \(name) but \(path) did not accept connections within \(Int(socketTimeoutSeconds)) s; check its log (LOG_LEVEL=debug)")
    }

    /// `environment` without the variables in ``strippedEnvironment``.
    static func childEnvironment(_ environment: [String]) -> [String] {
        environment.filter { !strippedEnvironment.contains(String($0.prefix { $0 != "=" })) }
    }

    private static func currentEnvironment() -> [String] {
        var entries: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            entries.append(String(cString: entry))
            cursor += 1
        }
        return entries
    }

    /// Calls `body` with a NULL-terminated C array of `strings`, freed afterwards.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
