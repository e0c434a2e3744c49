import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore

/// The client on a kernel with WireGuard (inside the VM, WGMESH_KERNEL_TESTS=1): kernel links go
/// to the kernel, a wireguard-go device beside them still goes to userspace.
@Suite(.serialized, .enabled(if: getenv("WGMESH_KERNEL_TESTS").map { String(cString: $0) == "1" } ?? false,
                             "set WGMESH_KERNEL_TESTS=1 (inside the VM)"))
struct ClientKernelTests {
    @Test func kernelLinksAreCreatedAndServedByTheKernel() throws {
        let client = WireGuardClient()
        #expect(client.kind == .kernel)
        let name = UserspaceLive.uniqueName("wck")
        #expect(try client.createInterface(name, allowUserspace: false) == .kernel)
        var deleted = false
        defer { if !deleted { UserspaceLive.deleteDevice(name) } }

        #expect(try client.backend(for: name.rawValue).kind == .kernel)
        #expect(try client.deviceNames().contains(name.rawValue))
        let peer = UserspaceLive.peerKey(4)
        try client.configure(device: name.rawValue, with: DeviceConfig(listenPort: 41000, peers: [
            PeerConfig(publicKey: peer, allowedIPs: [try IPNetwork("10.4.0.0/16")])]))
        let device = try client.device(named: name.rawValue)
        #expect(device.listenPort == 41000)
        #expect(device.peers.map(\.publicKey) == [peer])

        let again = try #require(throws: WireGuardError.self) { try client.createInterface(name, allowUserspace: true) }
        #expect(again.code == .interfaceExists)

        try client.deleteInterface(name)
        deleted = true
        let gone = try #require(throws: WireGuardError.self) { try client.device(named: name.rawValue) }
        #expect(gone.code == .noSuchDevice)
        #expect(gone.errno == ENODEV, "with the kernel family present wg reports ENODEV")
    }

    /// wireguard-go needs /dev/net/tun; the VM's minimal /dev may lack it until the module loads.
    static let tunAvailable: Bool = {
        if access("/dev/net/tun", R_OK | W_OK) == 0 { return true }
        _ = UserspaceLive.run(["modprobe", "tun"])
        if access("/dev/net/tun", R_OK | W_OK) != 0 {
            _ = UserspaceLive.run(["mkdir", "-p", "/dev/net"])
            _ = UserspaceLive.run(["mknod", "/dev/net/tun", "c", "10", "200"])
        }
        return access("/dev/net/tun", R_OK | W_OK) == 0
    }()

    @Test(.enabled(if: ClientKernelTests.tunAvailable, "needs /dev/net/tun for wireguard-go"))
    func aWireguardGoDeviceBesideTheKernelIsStillUserspace() throws {
        let kernelName = UserspaceLive.uniqueName("wck")
        let client = WireGuardClient()
        #expect(try client.createInterface(kernelName, allowUserspace: false) == .kernel)
        defer { UserspaceLive.deleteDevice(kernelName) }
        let userspaceName = try UserspaceLive.makeDevice("wcu")
        defer { UserspaceLive.deleteDevice(userspaceName) }

        #expect(try client.backend(for: kernelName.rawValue).kind == .kernel)
        #expect(try client.backend(for: userspaceName.rawValue).kind == .userspace)
        let names = try client.deviceNames()
        #expect(names.contains(kernelName.rawValue))
        #expect(names.contains(userspaceName.rawValue))
        #expect(names == names.sorted())
        try client.configure(device: userspaceName.rawValue, with: DeviceConfig(fwmark: 3))
        #expect(try client.device(named: userspaceName.rawValue).fwmark == 3)
    }
}
