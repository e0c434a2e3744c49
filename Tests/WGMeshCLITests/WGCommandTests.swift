import Glibc
import Testing
import WGMeshCore
import WGMeshTestSupport
@testable import WGMeshCLI

/// The subcommands end to end over the fake backend: exit statuses as wg's,
/// and what each one leaves on the device.
@Suite("wg subcommands over a fake device")
struct WGCommandTests {
    static let peerA = try! WireGuardKey(base64: "JfkdjKA5yD317ivkvHXekL++8a2DNZApp0NvFuNUvmo=")
    static let peerB = try! WireGuardKey(base64: "FTPwToG1NfWMy+i2jJ/0bwzPIXz4y+7WJS161TdyxBQ=")
    static let peerC = try! WireGuardKey(base64: "ZVwB/xpBy2mNpQRP9xcSp/qvgyWHY1cEF5Rz9WknOhU=")

    static func fake() -> (FakeWireGuardBackend, WGDeviceAccess) {
        let device = WireGuardDevice(
            name: "wgtest0", listenPort: 51000,
            peers: [
                WireGuardPeer(publicKey: peerA, persistentKeepalive: 25, allowedIPs: [try! IPNetwork("10.1.0.0/16")]),
                WireGuardPeer(publicKey: peerC, allowedIPs: [try! IPNetwork("10.3.0.0/16")]),
            ])
        let fake = FakeWireGuardBackend(devices: [device])
        return (fake, WGDeviceAccess(backend: fake, allowedIPRemoval: .removeFlag))
    }

    /// Writes `text` to a new temporary file and returns its path.
    static func temporaryFile(_ text: String) throws -> String {
        var template = Array("/tmp/wgmesh-wgtest-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        try #require(fd >= 0)
        defer { close(fd) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        try #require(written == text.utf8.count)
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static let file = """
        [Interface]
        ListenPort = 51820

        [Peer]
        PublicKey = \(peerA.base64)
        AllowedIPs = 10.1.0.0/16

        [Peer]
        PublicKey = \(peerB.base64)
        AllowedIPs = 10.2.0.0/16, fd00::/64
        Endpoint = 192.0.2.1:51820
        """

    @Test("show: wg's exit statuses", arguments: [
        (["wgtest0"], 0), (["wgtest0", "dump"], 0), (["wgtest0", "bogus"], 1), (["nope"], 1),
        (["a", "b", "c"], 1), (["interfaces", "x"], 1), (["help"], 0), (["interfaces"], 0), (["all", "peers"], 0),
    ] as [([String], Int32)])
    func showStatus(_ arguments: [String], _ status: Int32) {
        #expect(WGShowCommand.run(arguments, access: Self.fake().1) == status)
    }

    @Test("show all: 1 only when devices exist and none could be read")
    func showAllStatus() {
        let empty = WGDeviceAccess(backend: FakeWireGuardBackend())
        #expect(WGShowCommand.run([], access: empty) == 0)
        #expect(WGShowCommand.run(["all", "bogus"], access: empty) == 0)
        #expect(WGShowCommand.run(["all", "bogus"], access: Self.fake().1) == 1)
    }

    @Test("showconf: usage and missing devices fail")
    func showconf() {
        #expect(WGShowConfCommand.run(["wgtest0"], access: Self.fake().1) == 0)
        #expect(WGShowConfCommand.run([], access: Self.fake().1) == 1)
        #expect(WGShowConfCommand.run(["nope"], access: Self.fake().1) == 1)
    }

    @Test("set: changes the device; a bad argument sends nothing")
    func set() throws {
        let (fake, access) = Self.fake()
        #expect(WGSetCommand.run(["wgtest0", "peer", Self.peerA.base64, "allowed-ips", "10.7.0.0/16"], access: access) == 0)
        let peer = try #require(try fake.device(named: "wgtest0").peers.first { $0.publicKey == Self.peerA })
        #expect(peer.allowedIPs.map(\.description) == ["10.7.0.0/16"])
        #expect(peer.persistentKeepalive == 25)
        let calls = fake.configureCalls
        #expect(WGSetCommand.run(["wgtest0", "listen-port", "1", "bogus"], access: access) == 1)
        #expect(WGSetCommand.run(["wgtest0"], access: access) == 1)
        #expect(fake.configureCalls == calls)
        #expect(WGSetCommand.run(["nope", "listen-port", "1"], access: access) == 1)
    }

    @Test("setconf replaces every peer and resets what the file leaves out")
    func setconf() throws {
        let (fake, access) = Self.fake()
        let path = try Self.temporaryFile(Self.file)
        defer { unlink(path) }
        #expect(WGConfMode.setconf.run(["wgtest0", path], access: access) == 0)
        let device = try fake.device(named: "wgtest0")
        #expect(device.listenPort == 51820)
        #expect(Set(device.peers.map(\.publicKey)) == [Self.peerA, Self.peerB])
        #expect(device.peers.first { $0.publicKey == Self.peerA }?.persistentKeepalive == 0)
    }

    @Test("addconf keeps the peers the file does not list")
    func addconf() throws {
        let (fake, access) = Self.fake()
        let path = try Self.temporaryFile(Self.file)
        defer { unlink(path) }
        #expect(WGConfMode.addconf.run(["wgtest0", path], access: access) == 0)
        let device = try fake.device(named: "wgtest0")
        #expect(Set(device.peers.map(\.publicKey)) == [Self.peerA, Self.peerB, Self.peerC])
        #expect(device.peers.first { $0.publicKey == Self.peerA }?.persistentKeepalive == 25)
    }

    @Test("syncconf converges, then sends nothing when run again")
    func syncconf() throws {
        let (fake, access) = Self.fake()
        let path = try Self.temporaryFile(Self.file)
        defer { unlink(path) }
        #expect(WGConfMode.syncconf.run(["wgtest0", path], access: access) == 0)
        let device = try fake.device(named: "wgtest0")
        #expect(device.listenPort == 51820)
        #expect(Set(device.peers.map(\.publicKey)) == [Self.peerA, Self.peerB])
        // The file sets no keepalive for peerA: syncconf turns it off, as wg does.
        #expect(device.peers.first { $0.publicKey == Self.peerA }?.persistentKeepalive == 0)
        let calls = fake.configureCalls
        #expect(WGConfMode.syncconf.run(["wgtest0", path], access: access) == 0)
        #expect(fake.configureCalls == calls)
    }

    @Test("a bad file leaves the device untouched, whatever the mode", arguments: [
        WGConfMode.setconf, .addconf, .syncconf,
    ])
    func badFile(_ mode: WGConfMode) throws {
        let (fake, access) = Self.fake()
        let before = try fake.device(named: "wgtest0")
        let path = try Self.temporaryFile(Self.file + "\nBogus = 1\n")
        defer { unlink(path) }
        #expect(mode.run(["wgtest0", path], access: access) == 1)
        #expect(mode.run(["wgtest0"], access: access) == 1)
        #expect(mode.run(["wgtest0", "/nonexistent/file.conf"], access: access) == 1)
        #expect(fake.configureCalls == 0)
        #expect(try fake.device(named: "wgtest0") == before)
    }
}
