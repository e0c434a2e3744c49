import Testing
import WGMeshCore
@testable import WGMeshCLI

/// `wg set` argument grammar.
@Suite("wg set arguments")
struct WGSetArgumentsTests {
    static let peerA = "JfkdjKA5yD317ivkvHXekL++8a2DNZApp0NvFuNUvmo="
    static let peerB = "FTPwToG1NfWMy+i2jJ/0bwzPIXz4y+7WJS161TdyxBQ="
    static let secret = try! SecretKey(base64: "iqRVkk69F0Zc+z0GBb+EDS/aind1VVPryGXQXQDGPYw=")

    /// Key files in these tests: "/dev/null" is removal, anything else one known key.
    static func parse(_ words: String) throws(WGToolError) -> WGSetArguments {
        try WGSetArguments(words.split(separator: " ").map(String.init)) { path throws(WGToolError) in
            path == "/dev/null" ? .zero : secret
        }
    }

    @Test("device options and several peers")
    func full() throws {
        let parsed = try Self.parse(
            "listen-port 51820 fwmark 0x10 private-key /k peer \(Self.peerA) preshared-key /p endpoint 192.0.2.1:1 "
                + "persistent-keepalive 25 allowed-ips 10.0.0.0/24,fd00::/64 peer \(Self.peerB) remove")
        let config = parsed.configuration
        #expect(config.listenPort == 51820)
        #expect(config.fwmark == 16)
        #expect(config.privateKey == Self.secret)
        #expect(!config.replacePeers)
        try #require(config.peers.count == 2)
        let a = config.peers[0]
        #expect(a.presharedKey == Self.secret)
        #expect(a.endpoint?.description == "192.0.2.1:1")
        #expect(a.persistentKeepalive == 25)
        #expect(a.replaceAllowedIPs)
        #expect(a.allowedIPs.map(\.description) == ["10.0.0.0/24", "fd00::/64"])
        #expect(!a.remove)
        #expect(config.peers[1].remove)
        #expect(config.peers[1].publicKey == (try WireGuardKey(base64: Self.peerB)))
    }

    @Test("a peer without allowed-ips keeps its list; an empty allowed-ips clears it")
    func allowedIPsReplace() throws {
        #expect(try Self.parse("peer \(Self.peerA) persistent-keepalive off").configuration.peers[0].replaceAllowedIPs == false)
        let cleared = try WGSetArguments(["peer", Self.peerA, "allowed-ips", ""]).configuration.peers[0]
        #expect(cleared.replaceAllowedIPs)
        #expect(cleared.allowedIPs.isEmpty)
        let spaced = try WGSetArguments(["peer", Self.peerA, "allowed-ips", " 10.0.0.0/8 , 10.1.0.0/16"])
        #expect(spaced.configuration.peers[0].allowedIPs.count == 2)
    }

    @Test("/dev/null as a key file removes the key")
    func removal() throws {
        let config = try Self.parse("private-key /dev/null peer \(Self.peerA) preshared-key /dev/null").configuration
        #expect(config.privateKey == .zero)
        #expect(config.peers[0].presharedKey == .zero)
    }

    @Test("wg's refusals", arguments: [
        ("listen-port", "Invalid argument: listen-port"),
        ("peer \(peerA) listen-port 5", "Invalid argument: listen-port"),
        ("remove", "Invalid argument: remove"),
        ("endpoint 1.2.3.4:5", "Invalid argument: endpoint"),
        ("bogus 1", "Invalid argument: bogus"),
        ("peer abc", "Key is not the correct length or format: `abc'"),
        ("fwmark -1", "Fwmark is neither 0/off nor 0-0xffffffff: `-1'"),
        ("peer \(peerA) endpoint nohost", "Unable to find port of endpoint: `nohost'"),
        ("peer \(peerA) allowed-ips 10.0.0.0/40", "AllowedIP is not in the correct format: `10.0.0.0/40'"),
        ("peer \(peerA) allowed-ips 10.0.0.1/8 bogus",
         "Warning: AllowedIP has nonzero host part: 10.0.0.1/8\nInvalid argument: bogus"),
    ])
    func refusal(_ words: String, _ message: String) {
        #expect {
            try Self.parse(words)
        } throws: { error in
            (error as? WGToolError)?.message == message
        }
    }

    @Test("key files are read with wg's rules: 44 characters then whitespace")
    func keyFiles() throws {
        #expect(try WGKeyFile.read("/dev/null") == .zero)
        #expect {
            try WGKeyFile.read("/nonexistent/key")
        } throws: { error in
            (error as? WGToolError)?.message == "fopen: No such file or directory"
        }
    }
}
