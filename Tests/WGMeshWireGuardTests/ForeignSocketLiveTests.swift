import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore

/// `/var/run/wireguard` is one folder for every network namespace: a wireguard-go serving an
/// interface of the same name in another namespace must be named for what it is, not taken for
/// a link of ours ("a link with that name already exists", which `ip link` here does not show).
@Suite(.serialized, .enabled(if: UserspaceLive.enabled, "set WGMESH_USERSPACE_TESTS=1 (root, wireguard-go installed)"))
struct ForeignSocketLiveTests {
    @Test func anotherNamespacesWireGuardGoIsNamedWithItsProcess() throws {
        let namespace = "wgmt-foreign-\(getpid())"
        let name = UserspaceLive.uniqueName("wgf")
        try #require(UserspaceLive.run(["ip", "netns", "add", namespace]).status == 0)
        defer { _ = UserspaceLive.run(["ip", "netns", "del", namespace]) }
        // In the foreground, started and not waited for: its socket lands in the shared folder.
        let daemon = try Self.spawn(["ip", "netns", "exec", namespace, "env", "WG_PROCESS_FOREGROUND=1",
                                     "wireguard-go", name.rawValue])
        defer {
            kill(daemon, SIGTERM)
            var status: Int32 = 0
            waitpid(daemon, &status, 0)
        }
        let socket = UserspaceWireGuardBackend().socketPath(for: name.rawValue)
        var waited = 0
        while !UAPISocket.accepts(path: socket), waited < 200 {
            usleep(25_000)
            waited += 1
        }
        let pid = try #require(UAPISocket.servingProcess(path: socket), "nobody serves \(socket)")
        // The danger is real: the socket answers here, and the link is not here.
        #expect(UserspaceLive.run(["ip", "link", "show", name.rawValue]).status != 0)

        let error = try #require(throws: WireGuardError.self) {
            try WireGuardClient().createInterface(name, allowUserspace: true)
        }
        #expect(error.code == .interfaceExists)
        #expect(error.reason.contains("belongs to wireguard-go (pid \(pid)) in another network namespace"), "\(error.reason)")
        #expect(error.reason.contains("kill \(pid)"))
        // Nothing was started here, and theirs still serves.
        #expect(UserspaceLive.run(["ip", "link", "show", name.rawValue]).status != 0)
        #expect(UAPISocket.servingProcess(path: socket) == pid)
    }

    /// Starts `arguments` with /dev/null for its standard files and returns its pid, not waiting.
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        try #require(spawned == 0, "posix_spawnp \(arguments[0]): \(spawned)")
        return pid
    }
}
