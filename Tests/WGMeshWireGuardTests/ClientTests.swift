import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore

/// Backend selection with a fake kernel backend and a fake UAPI process; no root needed.
@Suite struct ClientTests {
    /// Stands in for the kernel backend: lists fixed names and reads empty devices.
    struct FakeKernel: WireGuardBackend {
        var names: [String]
        var kind: WireGuardBackendKind { .kernel }
        func deviceNames() throws -> [String] { names }
        func device(named name: String) throws -> WireGuardDevice { WireGuardDevice(name: name) }
        func configure(device name: String, with config: DeviceConfig) throws -> ApplyReport { ApplyReport(messagesSent: 1) }
    }

    static func client(
        _ preference: BackendPreference = .auto, directory: String, program: String = "sh",
        kernel: (any WireGuardBackend)? = nil
    ) -> WireGuardClient {
        WireGuardClient(preference: preference, userspace: UserspaceWireGuardBackend(socketDirectory: directory),
                        userspaceProgram: program, openKernel: { kernel })
    }

    @Test func aDeviceWithALiveSocketGoesToUserspace() throws {
        let server = try UserspaceFakeServer(replies: [UserspaceFixtures.wireguardGoGet])
        defer { server.stop() }
        let client = Self.client(directory: server.directory)
        #expect(client.kind == .userspace)
        #expect(try client.backend(for: server.device).kind == .userspace)
        let device = try client.device(named: server.device)
        #expect(device.listenPort == 51901)
        #expect(device.peers.count == 2)
    }

    @Test func withAKernelTheClientReportsKernelButStillFindsSockets() throws {
        let server = try UserspaceFakeServer(scripts: [.init(reply: [])])
        defer { server.stop() }
        let client = Self.client(directory: server.directory, kernel: FakeKernel(names: ["wgk1", server.device]))
        #expect(client.kind == .kernel)
        // No link of kind wireguard is called wgfake0 here, so the socket wins.
        #expect(try client.backend(for: server.device).kind == .userspace)
        #expect(try client.deviceNames() == ["wgfake0", "wgk1"])
    }

    @Test func aMissingDeviceReadsLikeWg() throws {
        let client = Self.client(directory: "/nonexistent/wgmesh-test")
        let error = try #require(throws: WireGuardError.self) { try client.device(named: "wgnone0") }
        #expect(error.code == .noSuchDevice)
        #expect(error.reason == "Unable to access interface wgnone0: No such device")
        // wg(8) on a kernel without WireGuard reports EPROTONOSUPPORT; the CLI prints this errno.
        #expect(error.errno == EPROTONOSUPPORT)
        let withKernel = Self.client(directory: "/nonexistent/wgmesh-test", kernel: FakeKernel(names: []))
        let kernelError = try #require(throws: WireGuardError.self) { try withKernel.device(named: "wgnone0") }
        #expect(kernelError.code == .noSuchDevice)
        #expect(kernelError.errno == ENODEV)
    }

    @Test func nothingAnywhereIsNoImplementation() throws {
        let client = Self.client(directory: "/nonexistent/wgmesh-test", program: "wgmesh-no-such-program")
        let error = try #require(throws: WireGuardError.self) { try client.configure(device: "wg0", with: DeviceConfig()) }
        #expect(error.code == .noImplementation)
        #expect(error.reason == "no WireGuard implementation found: load the kernel module (modprobe wireguard) or install wireguard-go (apt-get install wireguard-go)")
    }

    @Test func kernelOnlyWithoutTheModuleSaysSo() throws {
        let server = try UserspaceFakeServer(scripts: [])
        defer { server.stop() }
        let client = Self.client(.kernel, directory: server.directory)
        #expect(client.kind == .kernel)
        let error = try #require(throws: WireGuardError.self) { try client.backend(for: server.device) }
        #expect(error.code == .noImplementation)
        #expect(throws: WireGuardError.self) { try client.deviceNames() }
    }

    @Test func aKernelThatFailsToOpenIsReportedWhenOnlyKernelIsAllowed() throws {
        let client = WireGuardClient(
            preference: .kernel, userspace: UserspaceWireGuardBackend(socketDirectory: "/nonexistent/x"),
            openKernel: { throw WireGuardError(.system, errno: EACCES, "netlink refused") })
        let error = try #require(throws: WireGuardError.self) { try client.backend(for: "wg0") }
        #expect(error.reason == "netlink refused")
    }

    @Test func userspaceOnlyNeverOpensTheKernel() throws {
        let client = WireGuardClient(
            preference: .userspace, userspace: UserspaceWireGuardBackend(socketDirectory: "/nonexistent/x"),
            openKernel: { Issue.record("the kernel backend was opened"); return nil })
        #expect(client.kind == .userspace)
        #expect(try client.deviceNames() == [])
    }

    @Test func programsAreFoundOnPath() {
        #expect(WireGuardClient.programOnPath("sh"))
        #expect(WireGuardClient.programOnPath("/bin/sh"))
        #expect(!WireGuardClient.programOnPath("wgmesh-no-such-program"))
    }
}
