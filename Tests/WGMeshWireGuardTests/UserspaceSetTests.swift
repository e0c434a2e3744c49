import Glibc
import Testing
import WGMeshWireGuard
import WGMeshCore

/// Changing devices over UAPI: the exact request text, errors, and streaming of large sets.
@Suite struct UserspaceSetTests {
    static let peerA = try! WireGuardKey(hex: String(repeating: "a1", count: 32))
    static let peerB = try! WireGuardKey(hex: String(repeating: "b2", count: 32))
    static let secret = try! SecretKey(hex: String(repeating: "5c", count: 32))

    /// Applies `config` against a fake server, returning the outcome and the request.
    static func set(
        _ config: DeviceConfig, script: UserspaceFakeServer.Script = .init(reply: Array("errno=0\n\n".utf8))
    ) throws -> (Result<ApplyReport, WireGuardError>, String) {
        let server = try UserspaceFakeServer(scripts: [script])
        defer { server.stop() }
        let backend = UserspaceWireGuardBackend(socketDirectory: server.directory)
        let result: Result<ApplyReport, WireGuardError>
        do {
            result = .success(try backend.configure(device: server.device, with: config))
        } catch let error as WireGuardError {
            result = .failure(error)
        }
        return (result, server.requestTexts().first ?? "")
    }

    @Test func requestTextIsExact() throws {
        let config = DeviceConfig(
            privateKey: Self.secret, listenPort: 51820, fwmark: 0x10, replacePeers: true,
            peers: [
                PeerConfig(
                    publicKey: Self.peerA, presharedKey: Self.secret,
                    endpoint: Endpoint(address: try IPAddress("2001:db8::1"), port: 443),
                    persistentKeepalive: 25, replaceAllowedIPs: true,
                    allowedIPs: [try IPNetwork("10.0.0.0/24"), try IPNetwork("fd00::/64")]),
                PeerConfig(publicKey: Self.peerB, remove: true, allowedIPs: [try IPNetwork("10.9.0.0/16")]),
                PeerConfig(publicKey: Self.peerB, updateOnly: true,
                           endpoint: Endpoint(address: try IPAddress("192.0.2.7"), port: 51821),
                           persistentKeepalive: 0),
            ])
        let (result, request) = try Self.set(config)
        #expect(try result.get() == ApplyReport(messagesSent: 1))
        let psk = String(repeating: "5c", count: 32)
        #expect(request == """
            set=1
            private_key=\(psk)
            listen_port=51820
            fwmark=16
            replace_peers=true
            public_key=\(String(repeating: "a1", count: 32))
            preshared_key=\(psk)
            endpoint=[2001:db8::1]:443
            persistent_keepalive_interval=25
            replace_allowed_ips=true
            allowed_ip=10.0.0.0/24
            allowed_ip=fd00::/64
            public_key=\(String(repeating: "b2", count: 32))
            remove=true
            public_key=\(String(repeating: "b2", count: 32))
            update_only=true
            endpoint=192.0.2.7:51821
            persistent_keepalive_interval=0


            """)
    }

    @Test func zeroKeysAreSentAsZerosToRemoveThem() throws {
        let config = DeviceConfig(privateKey: .zero, peers: [PeerConfig(publicKey: Self.peerA, presharedKey: .zero)])
        let (_, request) = try Self.set(config)
        let zeros = String(repeating: "0", count: 64)
        #expect(request == "set=1\nprivate_key=\(zeros)\npublic_key=\(Self.peerA.hex)\npreshared_key=\(zeros)\n\n")
    }

    @Test func anEmptyChangeStillSendsOneValidRequest() throws {
        let (result, request) = try Self.set(DeviceConfig())
        #expect(request == "set=1\n\n")
        #expect(try result.get().messagesSent == 1)
    }

    @Test(arguments: ["errno=-22\n\n", "errno=22\n\n", "errno=1\n\n"])
    func nonZeroErrnoIsRejectedWithItsText(reply: String) throws {
        let (result, _) = try Self.set(DeviceConfig(listenPort: 1), script: .init(reply: Array(reply.utf8)))
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.code == .rejected)
        #expect(error.reason.contains("Unable to modify interface wgfake0"))
        if error.errno == 22 { #expect(error.reason.contains("Invalid argument")) }
        else { #expect(error.errno == 1); #expect(error.reason.contains("Operation not permitted")) }
    }

    @Test(arguments: ["", "errno=0\n", "listen_port=1\nerrno=0\n\n", "errno=0\nerrno=0\n\n"])
    func badSetRepliesAreMalformed(reply: String) throws {
        let (result, _) = try Self.set(DeviceConfig(listenPort: 1), script: .init(reply: Array(reply.utf8)))
        guard case .failure(let error) = result else { Issue.record("'\(reply)' accepted"); return }
        #expect(error.code == .malformedReply)
    }

    @Test func removingOneAllowedIPIsRefusedBeforeSending() throws {
        // No script: a connection would hang the test in accept, so this also proves nothing was sent.
        let server = try UserspaceFakeServer(scripts: [])
        defer { server.stop() }
        let backend = UserspaceWireGuardBackend(socketDirectory: server.directory)
        let config = DeviceConfig(peers: [PeerConfig(publicKey: Self.peerA, removedAllowedIPs: [try IPNetwork("10.0.0.1/32")])])
        let error = try #require(throws: WireGuardError.self) { try backend.configure(device: server.device, with: config) }
        #expect(error.code == .unsupportedByImplementation)
        #expect(error.reason.contains("wgfake0"))
    }

    @Test func lowOrderPeerKeysAreSentAsWireguardGoTakesThem() throws {
        let (result, request) = try Self.set(DeviceConfig(peers: WireGuardKey.lowOrderPoints.map { PeerConfig(publicKey: $0) }))
        _ = try result.get()
        #expect(request.contains("public_key=\(String(repeating: "0", count: 64))\n"))
        #expect(request.components(separatedBy: "public_key=").count == 1 + WireGuardKey.lowOrderPoints.count)
    }

    @Test func tenThousandPeersStreamInOneRequest() throws {
        let peers = (0..<10_000).map { index in
            let key = WireGuardKey(unsafeBytes: withUnsafeBytes(of: (UInt64(index) + 1, UInt64(7), UInt64(0), UInt64(0))) { $0 })
            return PeerConfig(publicKey: key, allowedIPs: [try! IPNetwork("10.\(index / 256).\(index % 256).0/32")])
        }
        let (result, request) = try Self.set(DeviceConfig(replacePeers: true, peers: peers))
        #expect(try result.get().messagesSent == 1)
        let lines = request.split(separator: "\n")
        #expect(lines.count == 2 + 2 * 10_000)
        #expect(lines.last == "allowed_ip=10.39.15.0/32")
        #expect(request.hasSuffix("\n\n"))
    }

    @Test func anEarlyAnswerIsReadEvenWhileStillWriting() throws {
        // wireguard-go answers at the first bad line and stops reading; the rest of a large
        // request hits a closed socket, and the errno must still come through.
        let peers = (0..<5_000).map { index in
            PeerConfig(publicKey: Self.peerA, allowedIPs: [try! IPNetwork("10.1.\(index % 256).0/24")])
        }
        let script = UserspaceFakeServer.Script(reply: Array("errno=-22\n\n".utf8), answerAfterBytes: 200)
        let (result, request) = try Self.set(DeviceConfig(peers: peers), script: script)
        #expect(request.utf8.count == 200)
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error.code == .rejected)
        #expect(error.errno == 22)
    }
}
