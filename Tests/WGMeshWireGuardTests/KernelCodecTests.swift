import Testing
import WGMeshCore
import WGMeshNetlink
import WGMeshWireGuard

/// The kernel backend's encoding and decoding against bytes captured from `wg` and the 6.1 kernel.
@Suite struct KernelCodecTests {
    typealias F = KernelFixtures

    static func key(_ text: String) -> WireGuardKey { try! WireGuardKey(base64: text) }
    static func net(_ text: String) -> IPNetwork { try! IPNetwork(text) }

    /// Splits a datagram into the replies it holds (what NetlinkSocket.dump returns).
    static func replies(_ datagrams: [[UInt8]]) -> [NetlinkReply] {
        var replies: [NetlinkReply] = []
        for datagram in datagrams {
            var offset = 0
            while offset + 16 <= datagram.count {
                let length = datagram.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
                let type = UInt16(datagram[offset + 4]) | UInt16(datagram[offset + 5]) << 8
                if type >= 16 {
                    replies.append(NetlinkReply(type: type, flags: 0, payload: Array(datagram[offset + 16..<offset + length])))
                }
                offset += (length + 3) & ~3
            }
        }
        return replies
    }

    /// The change `wg set` made in set-all, as a DeviceConfig.
    static func setAllConfig() throws -> DeviceConfig {
        DeviceConfig(
            privateKey: try SecretKey(base64: F.devicePrivateKey), listenPort: 51820, fwmark: 0x1234,
            peers: [
                PeerConfig(publicKey: key(F.peerA), presharedKey: try SecretKey(base64: F.presharedKey),
                           endpoint: try Endpoint("192.0.2.1:51820"), persistentKeepalive: 25, replaceAllowedIPs: true,
                           allowedIPs: [net("10.0.0.0/24"), net("fd00::/64")]),
                PeerConfig(publicKey: key(F.peerB), endpoint: try Endpoint("[2001:db8::1%7]:51821"),
                           replaceAllowedIPs: true, allowedIPs: [net("10.1.0.0/16")]),
            ])
    }

    static func encoded(_ config: DeviceConfig, limit: Int = 4096) -> [[UInt8]] {
        KernelConfigEncoder.messages(for: config, device: "wg0", familyID: F.familyID, sizeLimit: limit)
            .map { $0.encoded(sequence: 0, portID: 0, extraFlags: 0) }
    }

    @Test func setEverythingEncodesExactlyAsWgDoes() throws {
        let messages = Self.encoded(try Self.setAllConfig())
        #expect(messages.count == 1)
        #expect(messages.first.map(KernelFakeTransport.normalised) == KernelFakeTransport.normalised(F.setAllRequest))
    }

    @Test func removingAPeerEncodesExactlyAsWgDoes() {
        let config = DeviceConfig(peers: [PeerConfig(publicKey: Self.key(F.peerB), remove: true)])
        #expect(Self.encoded(config).map(KernelFakeTransport.normalised) == [KernelFakeTransport.normalised(F.setRemoveRequest)])
    }

    @Test func aLongAllowedIPListFragmentsLikeWgPlusUpdateOnly() throws {
        let config = DeviceConfig(peers: [PeerConfig(
            publicKey: Self.key(F.peerC), replaceAllowedIPs: true, allowedIPs: F.peerCAllowedIPs.map(Self.net))])
        let ours = Self.encoded(config)
        let wgs = [F.setManyRequest0, F.setManyRequest1, F.setManyRequest2]
        // The first fragment is byte-identical; continuations differ only by our UPDATE_ONLY flag.
        #expect(KernelFakeTransport.normalised(ours[0]) == KernelFakeTransport.normalised(wgs[0]))
        let ourParts = try ours.map(KernelSetMessage.init)
        let wgParts = try wgs.map(KernelSetMessage.init)
        #expect(ourParts.flatMap { $0.peers.flatMap(\.allowedIPs) } == wgParts.flatMap { $0.peers.flatMap(\.allowedIPs) })
        #expect(ourParts.dropFirst().allSatisfy { $0.peers.allSatisfy { $0.flags == 4 } })
        #expect(wgParts.dropFirst().allSatisfy { $0.peers.allSatisfy { $0.flags == 0 } })
        #expect(ourParts[0].peers[0].flags == 2)  // REPLACE_ALLOWEDIPS only in the first
        #expect(ours.allSatisfy { $0.count <= 4096 })
    }

    @Test func decodesARealDumpWithEveryField() throws {
        let device = try KernelDeviceDecoder.decode(Self.replies([F.getSmallReply]))
        #expect(device.name == "wg0")
        #expect(device.ifindex != 0)
        #expect(device.privateKey == (try SecretKey(base64: F.devicePrivateKey)))
        #expect(device.publicKey == Self.key(F.devicePublicKey))
        #expect(device.listenPort == 51820)
        #expect(device.fwmark == 0x1234)
        try #require(device.peers.count == 2)
        let a = device.peers[0], b = device.peers[1]
        #expect(a.publicKey == Self.key(F.peerA))
        #expect(a.presharedKey == (try SecretKey(base64: F.presharedKey)))
        #expect(a.endpoint == (try Endpoint("192.0.2.1:51820")))
        #expect(a.persistentKeepalive == 25)
        #expect(a.allowedIPs == [Self.net("10.0.0.0/24"), Self.net("fd00::/64")])
        #expect(a.lastHandshake == nil)
        #expect(a.protocolVersion == 1)
        #expect(b.publicKey == Self.key(F.peerB))
        #expect(b.presharedKey == nil)
        #expect(b.endpoint == Endpoint(address: try IPAddress("2001:db8::1"), port: 51821, scopeID: 7))
        #expect(b.allowedIPs == [Self.net("10.1.0.0/16")])
    }

    @Test func mergesAPeerSplitAcrossMessages() throws {
        let replies = Self.replies([F.getSplitReply0, F.getSplitReply1, F.getSplitReply2])
        #expect(replies.count >= 3)
        let device = try KernelDeviceDecoder.decode(replies)
        #expect(device.peers.map(\.publicKey) == [Self.key(F.peerA), Self.key(F.peerC)])
        #expect(device.peers[1].allowedIPs.count == 300)
        #expect(Set(device.peers[1].allowedIPs) == Set(F.peerCAllowedIPs.map(Self.net)))
        #expect(device.peers[0].allowedIPs.count == 2)
    }

    @Test func theBackendSendsWhatWgSendsForAGet() throws {
        let fake = KernelFakeTransport { _, _ in [F.getSmallReply] }
        let backend = KernelWireGuardBackend(socket: NetlinkSocket(transport: fake), familyID: F.familyID)
        let device = try backend.device(named: "wg0")
        #expect(device.peers.count == 2)
        // wg also sets ACK on the dump (0x305); we send REQUEST|DUMP (0x301). Everything else matches.
        #expect(fake.sent.map(KernelFakeTransport.normalised) == [KernelFakeTransport.normalised(F.getRequest)])
    }

    @Test(arguments: [
        ("dummy0", KernelFixtures.notWireGuardReply, WireGuardError.Code.notWireGuard, "not a WireGuard device"),
        ("nosuch0", KernelFixtures.missingDeviceReply, WireGuardError.Code.noSuchDevice,
         "Unable to access interface nosuch0: No such device"),
    ])
    func kernelErrorsBecomeClearWireGuardErrors(name: String, reply: [UInt8], code: WireGuardError.Code, text: String) {
        let fake = KernelFakeTransport { _, _ in [reply] }
        let backend = KernelWireGuardBackend(socket: NetlinkSocket(transport: fake), familyID: F.familyID)
        #expect {
            try backend.device(named: name)
        } throws: { error in
            let error = error as! WireGuardError
            return error.code == code && error.description.contains(text) && error.device == name
        }
    }
}
