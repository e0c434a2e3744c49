import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore

/// The client against real wireguard-go on a host whose kernel has no WireGuard (WGMESH_USERSPACE_TESTS=1).
@Suite(.serialized, .enabled(if: UserspaceLive.enabled, "set WGMESH_USERSPACE_TESTS=1 (root, wireguard-go installed)"))
struct ClientLiveTests {
    /// Whether this kernel has WireGuard; the fallback cases only mean something without it.
    static let kernelHasWireGuard = ((try? KernelWireGuardBackend.open()) ?? nil) != nil

    @Test func aWireguardGoDeviceIsServedByUserspace() throws {
        let name = try UserspaceLive.makeDevice("wcl")
        defer { UserspaceLive.deleteDevice(name) }
        let client = WireGuardClient()
        #expect(try client.backend(for: name.rawValue).kind == .userspace)
        if !Self.kernelHasWireGuard { #expect(client.kind == .userspace) }
        #expect(try client.deviceNames().contains(name.rawValue))
        let peer = UserspaceLive.peerKey(5)
        #expect(try client.configure(device: name.rawValue, with: DeviceConfig(fwmark: 7, peers: [
            PeerConfig(publicKey: peer, allowedIPs: [try IPNetwork("10.5.0.0/16")])])).messagesSent == 1)
        let device = try client.device(named: name.rawValue)
        #expect(device.fwmark == 7)
        #expect(device.peers.map(\.publicKey) == [peer])
    }

    @Test func aMissingDeviceIsNoSuchDevice() throws {
        let name = UserspaceLive.uniqueName("wcl")
        let error = try #require(throws: WireGuardError.self) { try WireGuardClient().device(named: name.rawValue) }
        #expect(error.code == .noSuchDevice)
        #expect(error.reason == "Unable to access interface \(name): No such device")
    }

    @Test(.enabled(if: !ClientLiveTests.kernelHasWireGuard, "needs a kernel without WireGuard"))
    func creatingWithoutUserspaceFailsClearly() throws {
        let name = UserspaceLive.uniqueName("wcl")
        let error = try #require(throws: WireGuardError.self) {
            try WireGuardClient().createInterface(name, allowUserspace: false)
        }
        #expect(error.code == .noImplementation)
        #expect(error.reason.contains("modprobe wireguard"))
        #expect(!WireGuardClient().userspace.socketExists(for: name.rawValue))
        #expect(if_nametoindex(name.rawValue) == 0, "nothing was created")
    }

    @Test(.enabled(if: !ClientLiveTests.kernelHasWireGuard, "needs a kernel without WireGuard"))
    func creatingWithUserspaceStartsADaemonThatOutlivesUs() throws {
        let name = UserspaceLive.uniqueName("wcl")
        let client = WireGuardClient()
        #expect(try client.createInterface(name, allowUserspace: true) == .userspace)
        var deleted = false
        defer { if !deleted { UserspaceLive.deleteDevice(name) } }

        #expect(UAPISocket.accepts(path: client.userspace.socketPath(for: name.rawValue)))
        #expect(try client.backend(for: name.rawValue).kind == .userspace)
        #expect(try client.device(named: name.rawValue).peers.isEmpty)

        // It outlives us: not our child (so our exit cannot reap or signal it) and in its own session.
        let daemon = try #require(Self.process(running: ["wireguard-go", name.rawValue]))
        #expect(daemon.parent != getpid())
        // The first wireguard-go leads a new session (POSIX_SPAWN_SETSID); its re-executed daemon stays in it.
        #expect(daemon.session != getsid(0))

        let again = try #require(throws: WireGuardError.self) { try client.createInterface(name, allowUserspace: true) }
        #expect(again.code == .interfaceExists)

        try client.deleteInterface(name)
        deleted = true
        #expect(!UAPISocket.accepts(path: client.userspace.socketPath(for: name.rawValue)))
        #expect(if_nametoindex(name.rawValue) == 0)
        let gone = try #require(throws: WireGuardError.self) { try client.deleteInterface(name) }
        #expect(gone.code == .noSuchDevice)
    }

    @Test(.enabled(if: !ClientLiveTests.kernelHasWireGuard, "needs a kernel without WireGuard"))
    func aMissingWireguardGoSaysToInstallIt() throws {
        let client = WireGuardClient(preference: .auto, userspace: UserspaceWireGuardBackend(),
                                     userspaceProgram: "wgmesh-no-such-program", openKernel: { nil })
        let error = try #require(throws: WireGuardError.self) {
            try client.createInterface(UserspaceLive.uniqueName("wcl"), allowUserspace: true)
        }
        #expect(error.code == .noImplementation)
        #expect(error.reason.contains("apt-get install wireguard-go"))
    }

    /// The process whose command line is exactly `arguments`: its pid, parent and session.
    static func process(running arguments: [String]) -> (pid: pid_t, parent: pid_t, session: pid_t)? {
        let wanted = Array(arguments.joined(separator: "\0").utf8) + [0]
        guard let proc = opendir("/proc") else { return nil }
        defer { closedir(proc) }
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name), read("/proc/\(pid)/cmdline") == wanted else { continue }
            // stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces, so cut after the last ')'.
            let stat = String(decoding: read("/proc/\(pid)/stat"), as: UTF8.self)
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, let parent = pid_t(fields[1]), let session = pid_t(fields[3]) else { continue }
            return (pid, parent, session)
        }
        return nil
    }

    private static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}
