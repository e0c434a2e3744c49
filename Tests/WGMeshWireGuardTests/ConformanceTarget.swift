import Glibc
import Synchronization
import WGMeshCore
@testable import WGMeshWireGuard

/// One real WireGuard implementation the conformance cases run against.
///
/// The cases only see `any WireGuardBackend`; this adds what the protocol
/// does not cover: making and deleting a device of the right kind.
struct ConformanceTarget: Sendable {
    /// "kernel" or "userspace", for messages.
    let name: String
    /// A fresh backend; the concurrent-read case makes a second one for its watcher thread.
    let makeBackend: @Sendable () throws -> any WireGuardBackend
    /// Creates a device of this kind named `name`.
    let createDevice: @Sendable (_ name: String) throws -> Void

    /// Deletes a device (either kind): removing the link also stops wireguard-go.
    func deleteDevice(_ name: String) { _ = UserspaceLive.run(["ip", "link", "del", name]) }

    private static let counter = Atomic<Int>(0)

    /// A name no parallel run uses: "wgc", our pid, a counter (15 bytes at most).
    static func uniqueName() -> String {
        "wgc\(getpid() % 100_000)x\(counter.add(1, ordering: .relaxed).newValue)"
    }

    /// Whether an environment variable is "1".
    static func flag(_ name: String) -> Bool { getenv(name).map { String(cString: $0) == "1" } ?? false }

    /// The kernel module over generic netlink: run inside the VM with WGMESH_KERNEL_TESTS=1.
    static let kernel = ConformanceTarget(
        name: "kernel",
        makeBackend: {
            guard let backend = try KernelWireGuardBackend.open() else {
                throw WireGuardError(.noImplementation, "the wireguard genetlink family is missing: run modprobe wireguard")
            }
            return backend
        },
        createDevice: { name in
            let result = UserspaceLive.run(["ip", "link", "add", name, "type", "wireguard"])
            guard result.status == 0 else {
                throw WireGuardError(.system, device: name, "ip link add \(name) type wireguard: \(result.output)")
            }
        })

    /// wireguard-go over the UAPI socket: run on the host as root with WGMESH_USERSPACE_TESTS=1.
    static let userspace = ConformanceTarget(
        name: "userspace",
        makeBackend: { UserspaceWireGuardBackend() },
        createDevice: { name in
            // The daemon keeps inherited pipes open, so a plain run() would wait forever: use the
            // backend's own launcher, which reaps the first process and waits for the socket.
            try WireGuardGoLauncher.start(
                try InterfaceName(name), socketPath: UserspaceWireGuardBackend().socketPath(for: name))
        })

    /// Creates a device, runs `body`, and deletes the device whatever happens.
    func withDevice<R>(_ body: (String) throws -> R) throws -> R {
        let name = Self.uniqueName()
        try createDevice(name)
        defer { deleteDevice(name) }
        return try body(name)
    }
}
