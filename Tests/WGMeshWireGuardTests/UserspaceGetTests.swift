import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore

/// Reading devices over UAPI, against a fake process that answers with real bytes.
@Suite struct UserspaceGetTests {
    /// Runs `device(named:)` against a fake server answering `reply`, and returns the request too.
    static func get(_ reply: String) throws -> (Result<WireGuardDevice, WireGuardError>, String) {
        let server = try UserspaceFakeServer(replies: [reply])
        defer { server.stop() }
        let backend = UserspaceWireGuardBackend(socketDirectory: server.directory)
        let result = Result { () throws(WireGuardError) in
            do { return try backend.device(named: server.device) } catch let error as WireGuardError { throw error } catch {
                throw WireGuardError(.system, "unexpected \(error)")
            }
        }
        return (result, server.requestTexts().first ?? "")
    }

    @Test func fixturesEndWithTheBlankLine() {
        #expect(UserspaceFixtures.wireguardGoGet.hasSuffix("errno=0\n\n"))
        #expect(UserspaceFixtures.boringtunGet.hasSuffix("errno=0\n\n"))
    }

    @Test func parsesARealWireguardGoReply() throws {
        let (result, request) = try Self.get(UserspaceFixtures.wireguardGoGet)
        #expect(request == "get=1\n\n")
        let device = try result.get()
        #expect(device.name == "wgfake0")
        #expect(device.privateKey?.hexEncodedSecret() == "80f3d1b6443d98656441673834d8148c47914601fbab3cdbd667b06276ed4a65")
        #expect(device.listenPort == 51901)
        #expect(device.fwmark == 0x1234)
        #expect(device.publicKey?.base64 == "P3xF54+q4hRgVdiFb1c0c0gNnk0k3FGM2uW74C1KVC4=", "derived as `wg show` printed it")
        try #require(device.peers.count == 2)

        let first = device.peers[0]
        #expect(first.publicKey.hex == "666663126d7e35cc5e6921c827fe485c3dd8568b428e08e6f70772b930a8f461")
        #expect(first.presharedKey?.hexEncodedSecret() == "d0f4975966909be329190a3278e27d31d4b11b148ed4f6dab84fff2c91f255bc")
        #expect(first.endpoint == Endpoint(address: try IPAddress("127.0.0.1"), port: 51902))
        #expect(first.lastHandshake == Timestamp(seconds: 1_795_550_534, nanoseconds: 653_524_705))
        #expect(first.txBytes == 244)
        #expect(first.rxBytes == 92)
        #expect(first.persistentKeepalive == 1)
        #expect(first.protocolVersion == 1)
        #expect(first.allowedIPs == [try IPNetwork("10.0.0.2/32"), try IPNetwork("fd00::2/128")])

        let second = device.peers[1]
        #expect(second.presharedKey == nil, "64 zeros mean no preshared key")
        #expect(second.endpoint?.description == "[2001:db8::5]:443")
        #expect(second.lastHandshake == nil, "0.0 means never")
        #expect(second.persistentKeepalive == 0)
        #expect(second.allowedIPs == [try IPNetwork("192.168.0.0/16"), try IPNetwork("10.20.0.0/24")])
    }

    @Test func boringtunReportsItsPublicKeyAndRelativeHandshakes() throws {
        var parser = UAPIDeviceParser(name: "wgbt0", now: Timestamp(seconds: 1_000, nanoseconds: 100_000_000))
        var ended = false
        for line in UserspaceFixtures.boringtunGet.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = String(line)
            ended = try !text.withUTF8 { try parser.consume(UnsafeRawBufferPointer($0)) }
            if ended { break }
        }
        #expect(ended)
        #expect(parser.errno == 0)
        let device = parser.device
        #expect(device.privateKey == nil)
        #expect(device.publicKey?.hex == "3fc4c5e78faae21460559dc56f57347348b0d9e4934dc518cdae5bbe02d4a542")
        try #require(device.peers.count == 1)
        // 1000.1 s minus 42.5 s ago.
        #expect(device.peers[0].lastHandshake == Timestamp(seconds: 957, nanoseconds: 600_000_000))
        #expect(device.peers[0].endpoint?.description == "[2001:db8::1]:51820")
        #expect(device.peers[0].protocolVersion == 1, "a missing protocol_version keeps the default")
    }

    @Test(arguments: ["errno=-22\n\n", "errno=22\n\n"])
    func errnoOfEitherSignIsRejected(reply: String) throws {
        let (result, _) = try Self.get(reply)
        #expect(throws: WireGuardError.self) { try result.get() }
        guard case .failure(let error) = result else { return }
        #expect(error.code == .rejected)
        #expect(error.errno == 22)
        #expect(error.reason.contains("wgfake0"))
        #expect(error.reason.contains("Invalid argument"))
    }

    @Test(arguments: [
        ("hello\nerrno=0\n\n", "hello"),
        ("listen_port=abc\nerrno=0\n\n", "listen_port=abc"),
        ("listen_port=70000\nerrno=0\n\n", "listen_port=70000"),
        ("allowed_ip=10.0.0.0/8\nerrno=0\n\n", "before any public_key"),
        ("public_key=1234\nerrno=0\n\n", "public_key=1234"),
        ("public_key=\(String(repeating: "ab", count: 32))\nallowed_ip=10.0.0.0/99\nerrno=0\n\n", "allowed_ip=10.0.0.0/99"),
        ("public_key=\(String(repeating: "ab", count: 32))\nendpoint=nowhere\nerrno=0\n\n", "endpoint=nowhere"),
        ("=1\nerrno=0\n\n", "=1"),
        ("\n\n", "before the errno line"),
        ("errno=0\nlisten_port=1\n\n", "after the errno line"),
        ("errno=zero\n\n", "errno=zero"),
    ])
    func garbageLinesAreMalformedAndNamed(reply: String, named: String) throws {
        let (result, _) = try Self.get(reply)
        guard case .failure(let error) = result else {
            Issue.record("'\(reply)' was accepted")
            return
        }
        #expect(error.code == .malformedReply)
        #expect(error.reason.contains(named), "\(error.reason)")
    }

    @Test func aBadSecretIsNotEchoed() throws {
        let (result, _) = try Self.get("private_key=\(String(repeating: "7q", count: 32))\nerrno=0\n\n")
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.code == .malformedReply)
        #expect(error.reason.contains("private_key"))
        #expect(!error.reason.contains("7q7q"))
    }

    @Test(arguments: [
        "",
        "listen_port=51820\n",
        "listen_port=51820\nerrno=0\n",
        "listen_port=518",
        String(UserspaceFixtures.wireguardGoGet.prefix(400)),
    ])
    func truncatedRepliesAreMalformed(reply: String) throws {
        let (result, _) = try Self.get(reply)
        guard case .failure(let error) = result else { Issue.record("'\(reply)' was accepted"); return }
        #expect(error.code == .malformedReply)
    }

    @Test func unknownKeysAreSkipped() throws {
        let (result, _) = try Self.get("listen_port=5\nfuture_device_knob=1\npublic_key=\(String(repeating: "01", count: 32))\nfuture_peer_knob=x\nerrno=0\n\n")
        let device = try result.get()
        #expect(device.listenPort == 5)
        #expect(device.peers.count == 1)
    }

    @Test func aLongLineGrowsTheBuffer() throws {
        // One line longer than the 64 KiB read buffer must still parse.
        let junk = String(repeating: "x", count: 100_000)
        let (result, _) = try Self.get("listen_port=7\nfuture_knob=\(junk)\nerrno=0\n\n")
        #expect(try result.get().listenPort == 7)
    }
}
