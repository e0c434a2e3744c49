import Glibc
import Testing
import WGMeshWireGuard
import WGMeshCore

/// Finding devices by their sockets: live, stale, missing and badly named.
@Suite struct UserspaceSocketTests {
    @Test func deviceNamesListsOnlySocketsThatAccept() throws {
        let server = try UserspaceFakeServer(device: "wglive0", scripts: [.init(reply: [])])
        defer { server.stop() }
        // A stale socket: bound, never listened on, left behind like a crashed process's.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = "\(server.directory)/wgstale0.sock"
        withUnsafeMutableBytes(of: &address.sun_path) { out in
            out.copyBytes(from: Array(path.utf8))
            out[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        close(stale)
        defer { unlink(path) }
        // Not a socket at all.
        let plain = "\(server.directory)/wgfile0.sock"
        close(open(plain, O_CREAT | O_WRONLY, 0o600))
        defer { unlink(plain) }

        let backend = UserspaceWireGuardBackend(socketDirectory: server.directory)
        #expect(try backend.deviceNames() == ["wglive0"])
        #expect(backend.socketExists(for: "wglive0"))
        #expect(backend.socketExists(for: "wgstale0"))
        #expect(!backend.socketExists(for: "wgfile0"))
        #expect(!backend.socketExists(for: "wgnone0"))

        let error = try #require(throws: WireGuardError.self) { try backend.device(named: "wgstale0") }
        #expect(error.code == .noSuchDevice)
        #expect(error.reason.contains("stale"))
    }

    @Test func aMissingDirectoryHasNoDevices() throws {
        let backend = UserspaceWireGuardBackend(socketDirectory: "/nonexistent/wgmesh-test")
        #expect(try backend.deviceNames() == [])
    }

    @Test(arguments: ["wgmissing0", "../etc/x", "", "waytoolonginterfacename"])
    func missingOrInvalidDevicesAreNoSuchDevice(name: String) throws {
        let backend = UserspaceWireGuardBackend(socketDirectory: "/nonexistent/wgmesh-test")
        let error = try #require(throws: WireGuardError.self) { try backend.device(named: name) }
        #expect(error.code == .noSuchDevice)
        #expect(error.reason.hasPrefix("Unable to access interface \(name): "))
        let setError = try #require(throws: WireGuardError.self) {
            try backend.configure(device: name, with: DeviceConfig(listenPort: 1))
        }
        #expect(setError.code == .noSuchDevice)
    }

    @Test func theKindIsUserspace() {
        #expect(UserspaceWireGuardBackend().kind == .userspace)
        #expect(UserspaceWireGuardBackend().socketPath(for: "wg0") == "/var/run/wireguard/wg0.sock")
    }
}
