import Testing
import WGMeshCore
@testable import WGMeshCLI

/// What setconf, addconf and syncconf make of one file.
@Suite("wg configuration file changes")
struct WGConfigChangesTests {
    static let text = """
        [Interface]
        ListenPort = 51820

        [Peer]
        PublicKey = JfkdjKA5yD317ivkvHXekL++8a2DNZApp0NvFuNUvmo=
        AllowedIPs = 10.0.0.0/24
        PersistentKeepalive = 25
        """

    @Test("setconf replaces everything: unset interface fields are reset")
    func setconf() throws {
        let config = try WGConfigFile(parsing: Self.text).setConfiguration
        #expect(config.replacePeers)
        #expect(config.privateKey == .zero)
        #expect(config.listenPort == 51820)
        #expect(config.fwmark == 0)
        try #require(config.peers.count == 1)
        #expect(config.peers[0].replaceAllowedIPs)
        #expect(config.peers[0].persistentKeepalive == 25)
        #expect(config.peers[0].presharedKey == nil)
        #expect(config.peers[0].endpoint == nil)
    }

    @Test("addconf touches only what the file sets")
    func addconf() throws {
        let config = try WGConfigFile(parsing: Self.text).addConfiguration
        #expect(!config.replacePeers)
        #expect(config.privateKey == nil)
        #expect(config.fwmark == nil)
        #expect(config.listenPort == 51820)
        #expect(config.peers.first?.replaceAllowedIPs == true)
    }

    @Test("syncconf: no private key in the file removes the device's, only if it has one")
    func syncconfPrivateKey() throws {
        let file = try WGConfigFile(parsing: Self.text)
        let keyed = WireGuardDevice(name: "wg0", privateKey: try SecretKey(base64: "4Mi/89tbbCCB1uyIfedZEdabcTIBDlSj6RgXR/Szum8="))
        #expect(file.desiredDevice(current: keyed).privateKey == .zero)
        #expect(file.desiredDevice(current: WireGuardDevice(name: "wg0")).privateKey == nil)
        #expect(file.desiredDevice(current: keyed).fwmark == 0)
    }

    @Test("syncconf: a key listed twice becomes one peer, the later section winning")
    func syncconfDuplicate() throws {
        let text = Self.text + "\n[Peer]\nPublicKey = JfkdjKA5yD317ivkvHXekL++8a2DNZApp0NvFuNUvmo=\nAllowedIPs = 10.9.0.0/24\n"
        let desired = try WGConfigFile(parsing: text).desiredDevice(current: WireGuardDevice(name: "wg0"))
        try #require(desired.peers.count == 1)
        #expect(desired.peers[0].allowedIPs.map(\.description) == ["10.9.0.0/24"])
        #expect(desired.peers[0].persistentKeepalive == 25)
    }
}
