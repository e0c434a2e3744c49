import Glibc
import Synchronization
@testable import WGMeshWireGuard
import WGMeshCore
import WGMeshKeys

/// Helpers for the suites that drive real wireguard-go on the host (WGMESH_USERSPACE_TESTS=1).
enum UserspaceLive {
    /// Whether the real-wireguard-go suites run: set by the harness, as root.
    static let enabled = getenv("WGMESH_USERSPACE_TESTS").map { String(cString: $0) == "1" } ?? false

    private static let counter = Atomic<Int>(0)

    /// A name no parallel run uses: "wgu", our pid, a counter.
    static func uniqueName(_ prefix: String = "wgu") -> InterfaceName {
        let n = counter.add(1, ordering: .relaxed).newValue
        return try! InterfaceName("\(prefix)\(getpid() % 1_000_000)x\(n)")
    }

    /// Starts `wireguard-go NAME`, brings it up (handshakes need the TUN up) and returns its name.
    static func makeDevice(_ prefix: String = "wgu") throws -> InterfaceName {
        let name = uniqueName(prefix)
        try WireGuardGoLauncher.start(name, socketPath: UserspaceWireGuardBackend().socketPath(for: name.rawValue))
        _ = run(["ip", "link", "set", name.rawValue, "up"])
        return name
    }

    /// Deletes the TUN link, which makes wireguard-go exit; never kills by name.
    static func deleteDevice(_ name: InterfaceName) {
        _ = run(["ip", "link", "del", name.rawValue])
    }

    /// A fresh clamped private key.
    static func privateKey() -> Curve25519.KeyAgreement.PrivateKey { .init() }

    /// A distinct public key per index, cheap enough for 10,000 peers (wireguard-go accepts any 32 bytes).
    static func peerKey(_ index: Int, salt: UInt64 = 0x5eed) -> WireGuardKey {
        withUnsafeBytes(of: (UInt64(index) + 1, salt, UInt64(0x77), UInt64(0x1))) { WireGuardKey(unsafeBytes: $0) }
    }

    /// Runs a program, returning its exit status and combined output.
    static func run(_ arguments: [String], input: String? = nil) -> (status: Int32, output: String) {
        // A program that exits before reading all its input must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        var output: [Int32] = [-1, -1]
        var inputPipe: [Int32] = [-1, -1]
        guard pipe(&output) == 0, pipe(&inputPipe) == 0 else { return (-1, "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        posix_spawn_file_actions_addclose(&actions, output[0])
        posix_spawn_file_actions_addclose(&actions, inputPipe[1])
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        close(output[1])
        close(inputPipe[0])
        guard spawned == 0 else {
            close(output[0]); close(inputPipe[1])
            return (-1, "spawn \(arguments[0]) failed: \(spawned)")
        }
        if let input {
            let bytes = Array(input.utf8)
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = write(inputPipe[1], raw.baseAddress! + offset, raw.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
        close(inputPipe[1])
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(output[0], &chunk, chunk.count)
            if count <= 0 { break }
            collected.append(contentsOf: chunk[0..<count])
        }
        close(output[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xFF, String(decoding: collected, as: UTF8.self))
    }

    /// Monotonic seconds, for timing.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
