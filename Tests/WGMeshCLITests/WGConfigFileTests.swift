import Testing
import WGMeshCore
@testable import WGMeshCLI

/// The wg(8) configuration format: what it accepts, and each way a line can
/// be wrong (with wg's message, checked against the real wg on this host).
@Suite("wg configuration files")
struct WGConfigFileTests {
    static let peerA = "JfkdjKA5yD317ivkvHXekL++8a2DNZApp0NvFuNUvmo="
    static let peerB = "FTPwToG1NfWMy+i2jJ/0bwzPIXz4y+7WJS161TdyxBQ="
    static let privateKey = "4Mi/89tbbCCB1uyIfedZEdabcTIBDlSj6RgXR/Szum8="
    static let psk = "iqRVkk69F0Zc+z0GBb+EDS/aind1VVPryGXQXQDGPYw="

    @Test("a full file, with wg's whitespace, case and comment rules")
    func goodFile() throws {
        let text = """
            # a comment line
            [Interface]
            PrivateKey = \(Self.privateKey)
            listen port=51820   # spaces inside keys are dropped, as wg drops them
            FwMark = 0x1234

            [peer]
            PublicKey = \(Self.peerA)
            PresharedKey = \(Self.psk)
            AllowedIPs = 10.0.0.0/24, fd00::/64
            AllowedIPs = 10.1.0.1
            Endpoint = [2001:db8::1]:51821
            PersistentKeepalive = 25

            [PEER]
            publickey=\(Self.peerB)
            endpoint=192.0.2.1:51820
            persistentkeepalive=off
            """
        let file = try WGConfigFile(parsing: text)
        #expect(file.listenPort == 51820)
        #expect(file.fwmark == 0x1234)
        #expect(file.privateKey == (try SecretKey(base64: Self.privateKey)))
        try #require(file.peers.count == 2)
        let a = file.peers[0]
        #expect(a.publicKey == (try WireGuardKey(base64: Self.peerA)))
        #expect(a.presharedKey == (try SecretKey(base64: Self.psk)))
        #expect(a.allowedIPs.map(\.description) == ["10.0.0.0/24", "fd00::/64", "10.1.0.1/32"])
        #expect(a.endpoint?.description == "[2001:db8::1]:51821")
        #expect(a.persistentKeepalive == 25)
        #expect(a.line == 7)
        #expect(file.peers[1].persistentKeepalive == 0)
        #expect(file.peers[1].allowedIPs.isEmpty)
        #expect(file.warnings.isEmpty)
    }

    @Test("an empty file and a comment-only file are valid")
    func emptyFile() throws {
        #expect(try WGConfigFile(parsing: "").peers.isEmpty)
        #expect(try WGConfigFile(parsing: "# nothing\n\n   \n").listenPort == nil)
    }

    @Test("host bits in an allowed IP warn, as wg warns, and are masked")
    func hostBits() throws {
        let file = try WGConfigFile(parsing: "[Peer]\nPublicKey=\(Self.peerA)\nAllowedIPs = 10.0.0.1/24\n")
        #expect(file.warnings == ["Warning: AllowedIP has nonzero host part: 10.0.0.1/24"])
        #expect(file.peers[0].allowedIPs.map(\.description) == ["10.0.0.0/24"])
    }

    @Test("host names resolve, like wg (localhost comes from /etc/hosts)")
    func hostName() throws {
        let file = try WGConfigFile(parsing: "[Peer]\nPublicKey=\(Self.peerA)\nEndpoint = localhost:1234\n")
        let endpoint = try #require(file.peers[0].endpoint)
        #expect(endpoint.port == 1234)
        #expect(endpoint.address.description == "127.0.0.1" || endpoint.address.description == "::1")
    }

    /// Bad files: the message wg prints first, and the line it is on.
    static let badFiles: [(String, String, Int)] = [
        ("[Interface]\nFoo = 1\n", "Line unrecognized: `Foo=1'", 2),
        ("ListenPort = 1\n", "Line unrecognized: `ListenPort=1'", 1),
        ("[Interface]\nListenPort =\n", "Line unrecognized: `ListenPort='", 2),
        ("[Interface]\nListenPort = abc\n", "Servname not supported for ai_socktype: `abc'", 2),
        ("[Interface]\nFwMark = 0xZZ\n", "Fwmark is neither 0/off nor 0-0xffffffff: `0xZZ'", 2),
        ("[Interface]\nFwMark = 4294967296\n", "Fwmark is neither 0/off nor 0-0xffffffff: `4294967296'", 2),
        ("[Interface]\nPrivateKey = abc\n", "Key is not the correct length or format: `(redacted)'", 2),
        ("[Peer]\nPublicKey = \(peerA)\nPublicKey = abc\n", "Key is not the correct length or format: `abc'", 3),
        ("[Peer]\nAllowedIPs = 10.0.0.1/33\n", "AllowedIP is not in the correct format: `10.0.0.1/33'", 2),
        ("[Peer]\nAllowedIPs = fd00::/129\n", "AllowedIP is not in the correct format: `fd00::/129'", 2),
        ("[Peer]\nAllowedIPs = 10.0.0.0/x\n", "AllowedIP is not in the correct format: `10.0.0.0/x'", 2),
        ("[Peer]\nAllowedIPs = 10.0.0.0/24,\n", "Unable to parse IP address: `'", 2),
        ("[Peer]\nAllowedIPs = 300.0.0.1\n", "Unable to parse IP address: `300.0.0.1'", 2),
        ("[Peer]\nEndpoint = 1.2.3.4\n", "Unable to find port of endpoint: `1.2.3.4'", 2),
        ("[Peer]\nEndpoint = [::1:5\n", "Unable to find matching brace of endpoint: `[::1:5'", 2),
        ("[Peer]\nEndpoint = [::1]5\n", "Unable to find port of endpoint: `[::1]5'", 2),
        ("[Peer]\nPersistentKeepalive = 70000\n",
         "Persistent keepalive interval is neither 0/off nor 1-65535: `70000'", 2),
        ("[Peer]\nPersistentKeepalive = -1\n", "Persistent keepalive interval is neither 0/off nor 1-65535: `-1'", 2),
        ("[Peer]\nPresharedKey = xx\n", "Key is not the correct length or format: `(redacted)'", 2),
        ("[Interface]\nPublicKey = \(peerA)\n", "Line unrecognized: `PublicKey=\(peerA)'", 2),
        ("[Peer]\nListenPort = 5\n", "Line unrecognized: `ListenPort=5'", 2),
        ("[Peers]\n", "Line unrecognized: `[Peers]'", 1),
    ]

    @Test("each kind of bad line gets wg's message and its line number", arguments: badFiles)
    func badLine(_ text: String, _ message: String, _ line: Int) {
        do {
            _ = try WGConfigFile(parsing: text)
            Issue.record("parsed a bad file")
        } catch {
            #expect(error.line == line)
            let lines = error.message.split(separator: "\n").map(String.init)
            #expect(lines.first == message)
            #expect(lines.last == "Configuration parsing error")
        }
    }

    @Test("a peer without a public key invalidates the file, naming its section")
    func missingPublicKey() {
        let text = "[Peer]\nPublicKey = \(Self.peerA)\n\n[Peer]\nAllowedIPs = 10.0.0.0/8\n"
        #expect {
            try WGConfigFile(parsing: text)
        } throws: { error in
            guard let error = error as? WGToolError else { return false }
            return error.code == .invalidConfiguration && error.line == 4
                && error.message == "A peer is missing a public key\nInvalid configuration"
        }
    }

    @Test("warnings come before the error, in the order wg prints them")
    func warningsBeforeError() {
        let text = "[Peer]\nAllowedIPs = 10.0.0.1/24\nAllowedIPs = 10.0.0.1/24,\n"
        #expect {
            try WGConfigFile(parsing: text)
        } throws: { error in
            (error as? WGToolError)?.message == """
                Warning: AllowedIP has nonzero host part: 10.0.0.1/24
                Warning: AllowedIP has nonzero host part: 10.0.0.1/24
                Unable to parse IP address: `'
                Configuration parsing error
                """
        }
        #expect {
            try WGConfigFile(parsing: "[Peer]\nAllowedIPs = 10.0.0.1/24\n")
        } throws: { error in
            (error as? WGToolError)?.message == """
                Warning: AllowedIP has nonzero host part: 10.0.0.1/24
                A peer is missing a public key
                Invalid configuration
                """
        }
    }

    @Test("a missing file fails like wg's fopen")
    func missingFile() {
        #expect {
            try WGConfigFile.read(path: "/nonexistent/wgmesh-test.conf")
        } throws: { error in
            (error as? WGToolError)?.message == "fopen: No such file or directory"
        }
    }
}
