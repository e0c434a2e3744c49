import Testing
import WGMeshCore
import WGMeshNetlink
import WGMeshWireGuard

/// Fragmentation rules for SET_DEVICE, checked by reading every message back.
@Suite struct KernelFragmentationTests {
    static func key(_ index: Int, salt: UInt8 = 1) -> WireGuardKey {
        var bytes = [UInt8](repeating: salt, count: 32)
        withUnsafeBytes(of: UInt32(index + 1).littleEndian) { for i in 0..<4 { bytes[i] = $0[i] } }
        return try! WireGuardKey(rawBytes: bytes)
    }

    static func secret(_ index: Int) -> SecretKey { try! SecretKey(rawBytes: key(index, salt: 9).rawBytes) }

    static func v4(_ index: Int, prefix: Int = 32) -> IPNetwork {
        try! IPNetwork(address: IPAddress(networkBytes: [10, UInt8(index >> 16 & 255), UInt8(index >> 8 & 255), UInt8(index & 255)]),
                       prefixLength: prefix)
    }

    static func v6(_ index: Int) -> IPNetwork {
        var bytes: [UInt8] = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        bytes[12] = UInt8(index >> 24 & 255); bytes[13] = UInt8(index >> 16 & 255)
        bytes[14] = UInt8(index >> 8 & 255); bytes[15] = UInt8(index & 255)
        return try! IPNetwork(address: IPAddress(networkBytes: bytes), prefixLength: 128)
    }

    /// 10,000 peers with every field, alternating v4 and v6 endpoints.
    static func manyPeers(_ count: Int = 10_000) -> DeviceConfig {
        let peers = (0..<count).map { index in
            PeerConfig(
                publicKey: key(index), presharedKey: index % 2 == 0 ? secret(index) : nil,
                endpoint: index % 2 == 0
                    ? Endpoint(address: try! IPAddress(networkBytes: [192, 0, 2, UInt8(index & 255)]), port: 51820)
                    : Endpoint(address: v6(index).address, port: 51821, scopeID: UInt32(index % 3)),
                persistentKeepalive: index % 3 == 0 ? 25 : nil, replaceAllowedIPs: true,
                allowedIPs: [v4(index), v6(index)])
        }
        return DeviceConfig(privateKey: secret(-1), listenPort: 51820, fwmark: 0x51, replacePeers: true, peers: peers)
    }

    static func encode(_ config: DeviceConfig, limit: Int) throws -> [KernelSetMessage] {
        try KernelConfigEncoder.messages(for: config, device: "wg0", familyID: 0x20, sizeLimit: limit)
            .map { try KernelSetMessage($0.bytes) }
    }

    /// Rebuilds the peer list from fragments: a continuation (UPDATE_ONLY, same key) extends the last peer.
    static func reassemble(_ messages: [KernelSetMessage]) -> [KernelSetMessage.Peer] {
        var peers: [KernelSetMessage.Peer] = []
        for message in messages {
            for (index, element) in message.peers.enumerated() {
                let isContinuation = index == 0 && element.flags == 4 && peers.last?.key == element.key
                if isContinuation {
                    peers[peers.count - 1].allowedIPs += element.allowedIPs
                    peers[peers.count - 1].removedIPs += element.removedIPs
                } else {
                    peers.append(element)
                }
            }
        }
        return peers
    }

    @Test(arguments: [1024, 4096, 32 * 1024, 65_000])
    func tenThousandPeersSplitWithinTheLimitAndLoseNothing(limit: Int) throws {
        let config = Self.manyPeers()
        let messages = try Self.encode(config, limit: limit)
        #expect(messages.allSatisfy { $0.size <= limit })
        #expect(messages.allSatisfy { $0.ifname == "wg0" })
        #expect(messages[0].hasPrivateKey && messages[0].listenPort == 51820 && messages[0].fwmark == 0x51)
        #expect(messages[0].flags == 1)
        #expect(messages.dropFirst().allSatisfy { !$0.hasPrivateKey && $0.listenPort == nil && $0.fwmark == nil && $0.flags == nil })
        let peers = Self.reassemble(messages)
        try #require(peers.count == config.peers.count)
        for (got, want) in zip(peers, config.peers) {
            #expect(got.key == want.publicKey)
            #expect(got.hasPresharedKey == (want.presharedKey != nil))
            #expect(got.endpoint == want.endpoint)
            #expect(got.keepalive == want.persistentKeepalive)
            #expect(got.flags == 2)
            #expect(got.allowedIPs == want.allowedIPs)
        }
        if limit == 32 * 1024 { #expect(messages.count < 60) }  // about 1.5 MB in 32 KiB messages
    }

    @Test(arguments: [4096, 32 * 1024])
    func onePeerWithFiveThousandIPsContinuesWithUpdateOnly(limit: Int) throws {
        let ips = (0..<5000).map { $0 % 2 == 0 ? Self.v4($0) : Self.v6($0) }
        let config = DeviceConfig(peers: [PeerConfig(
            publicKey: Self.key(7), presharedKey: Self.secret(7), endpoint: try Endpoint("192.0.2.7:1"),
            persistentKeepalive: 15, replaceAllowedIPs: true, allowedIPs: ips)])
        let messages = try Self.encode(config, limit: limit)
        #expect(messages.count > 1)
        #expect(messages.allSatisfy { $0.size <= limit && $0.peers.count == 1 && $0.peers[0].key == Self.key(7) })
        let first = messages[0].peers[0]
        #expect(first.flags == 2 && first.hasPresharedKey && first.endpoint != nil && first.keepalive == 15)
        for message in messages.dropFirst() {
            let element = message.peers[0]
            #expect(element.flags == 4)  // UPDATE_ONLY, and REPLACE_ALLOWEDIPS only in the first
            #expect(!element.hasPresharedKey && element.endpoint == nil && element.keepalive == nil)
        }
        #expect(messages.flatMap { $0.peers[0].allowedIPs } == ips)
    }

    @Test func removedPeersCarryOnlyKeyAndRemoveMe() throws {
        let peers = (0..<3000).map { PeerConfig(publicKey: Self.key($0), remove: true, allowedIPs: [Self.v4($0)]) }
        let messages = try Self.encode(DeviceConfig(peers: peers), limit: 4096)
        let elements = messages.flatMap(\.peers)
        #expect(elements.count == 3000)
        #expect(elements.allSatisfy { $0.flags == 1 && $0.allowedIPs.isEmpty && $0.endpoint == nil && !$0.hasPresharedKey })
    }

    @Test func removedAllowedIPsComeFirstWithTheRemoveFlag() throws {
        let config = DeviceConfig(peers: [PeerConfig(
            publicKey: Self.key(1), updateOnly: true, allowedIPs: [Self.v4(2)], removedAllowedIPs: [Self.v4(3), Self.v6(4)])])
        let message = try #require(try Self.encode(config, limit: 4096).first)
        #expect(message.peers[0].removedIPs == [Self.v4(3), Self.v6(4)])
        #expect(message.peers[0].allowedIPs == [Self.v4(2)])
        #expect(message.peers[0].flags == 4)
    }

    @Test func anEmptyChangeIsOneMessageNamingTheDevice() throws {
        let messages = try Self.encode(DeviceConfig(), limit: 4096)
        #expect(messages.count == 1)
        #expect(messages[0].ifname == "wg0" && messages[0].peers.isEmpty && messages[0].size == 28)
    }

    @Test func tenThousandPeersRoundTripThroughTheCodec() throws {
        let config = Self.manyPeers()
        let clock = ContinuousClock()
        var messages: [NetlinkMessageBuilder] = []
        var device = WireGuardDevice(name: "")
        var encodeTime = Duration.seconds(60), decodeTime = Duration.seconds(60)
        // Best of three, so one descheduled run on a busy 2-core machine does not decide.
        for _ in 0..<3 {
            encodeTime = min(encodeTime, clock.measure {
                messages = KernelConfigEncoder.messages(for: config, device: "wg0", familyID: 0x20, sizeLimit: 32 * 1024)
            })
            // A SET message has the GET reply's shape (device attributes, then PEERS), so it doubles as dump input.
            let replies = messages.map { NetlinkReply(type: 0x20, flags: 0, payload: Array($0.payload)) }
            decodeTime = min(decodeTime, try clock.measure { device = try KernelDeviceDecoder.decode(replies) })
        }
        #expect(device.peers.count == 10_000)
        #expect(device.peers[9_999].allowedIPs == config.peers[9_999].allowedIPs)
        // Informational only (release builds take about 3 ms and 5 ms): speed is judged by
        // `make bench`, not by a timed test that a busy CI machine could fail.
        print("kernel codec, 10,000 peers: encode \(encodeTime), decode \(decodeTime), \(messages.count) messages")
    }
}
