import Glibc
import Testing
@testable import WGMeshWireGuard
import WGMeshCore
import WGMeshKeys

/// The UAPI backend against real wireguard-go 0.0.20220316 on this host.
///
/// Serialized: wireguard-go's set of 10,000 peers keeps a core busy, and the timing
/// comparison with `wg setconf` is only fair when nothing else runs.
@Suite(.serialized, .enabled(if: UserspaceLive.enabled, "set WGMESH_USERSPACE_TESTS=1 (root, wireguard-go installed)"))
struct UserspaceLiveTests {
    let backend = UserspaceWireGuardBackend()

    @Test func setAndGetEverything() throws {
        let name = try UserspaceLive.makeDevice()
        defer { UserspaceLive.deleteDevice(name) }
        let key = UserspaceLive.privateKey()
        let psk = PresharedKey.generate()
        let peerA = UserspaceLive.privateKey().publicKey
        let peerB = UserspaceLive.privateKey().publicKey
        let config = DeviceConfig(
            privateKey: key.secret, listenPort: 0, fwmark: 0x4d2, replacePeers: true,
            peers: [
                PeerConfig(publicKey: peerA, presharedKey: psk, endpoint: try Endpoint("192.0.2.10:51820"),
                           persistentKeepalive: 0, replaceAllowedIPs: true,
                           allowedIPs: [try IPNetwork("10.10.0.0/16"), try IPNetwork("fd10::/64")]),
                PeerConfig(publicKey: peerB, endpoint: try Endpoint("[2001:db8::20]:443"),
                           allowedIPs: [try IPNetwork("10.20.0.1/32"), try IPNetwork("fd20::1/128")]),
            ])
        #expect(try backend.configure(device: name.rawValue, with: config).messagesSent == 1)

        let device = try backend.device(named: name.rawValue)
        #expect(device.privateKey == key.secret)
        #expect(device.publicKey == key.publicKey)
        #expect(device.listenPort != 0, "port 0 asks for a random port, which reads back as the real one")
        #expect(device.fwmark == 0x4d2)
        #expect(device.ifindex == if_nametoindex(name.rawValue))
        let byKey = Dictionary(uniqueKeysWithValues: device.peers.map { ($0.publicKey, $0) })
        let a = try #require(byKey[peerA])
        let b = try #require(byKey[peerB])
        #expect(a.presharedKey == psk)
        #expect(a.endpoint?.description == "192.0.2.10:51820")
        #expect(a.persistentKeepalive == 0)
        #expect(Set(a.allowedIPs) == [try IPNetwork("10.10.0.0/16"), try IPNetwork("fd10::/64")])
        #expect(b.presharedKey == nil)
        #expect(b.endpoint?.description == "[2001:db8::20]:443")
        #expect(Set(b.allowedIPs) == [try IPNetwork("10.20.0.1/32"), try IPNetwork("fd20::1/128")])

        // Keepalive on: checked separately because wireguard-go sends a keepalive at once.
        try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [
            PeerConfig(publicKey: peerB, updateOnly: true, persistentKeepalive: 25)]))
        let after = try backend.device(named: name.rawValue)
        #expect(after.peers.first { $0.publicKey == peerB }?.persistentKeepalive == 25)

        // Cross-check with the real tool: what we set, `wg showconf` reads.
        let conf = UserspaceLive.run(["wg", "showconf", name.rawValue])
        #expect(conf.status == 0)
        #expect(conf.output.contains("PrivateKey = \(key.secret.base64EncodedSecret())"))
        #expect(conf.output.contains("FwMark = 0x4d2"))
        #expect(conf.output.contains("PublicKey = \(peerA.base64)"))
        #expect(conf.output.contains("PresharedKey = \(psk.base64EncodedSecret())"))
        #expect(conf.output.contains("Endpoint = [2001:db8::20]:443"))
        #expect(conf.output.contains("PersistentKeepalive = 25"))
    }

    @Test func whatWgSetsWeRead() throws {
        let name = try UserspaceLive.makeDevice()
        defer { UserspaceLive.deleteDevice(name) }
        let peer = UserspaceLive.privateKey().publicKey
        let result = UserspaceLive.run([
            "wg", "set", name.rawValue, "listen-port", "0", "fwmark", "0x99", "peer", peer.base64,
            "endpoint", "198.51.100.3:1234", "persistent-keepalive", "7", "allowed-ips", "10.77.0.0/24,fd77::/48",
        ])
        #expect(result.status == 0, "\(result.output)")
        let device = try backend.device(named: name.rawValue)
        #expect(device.fwmark == 0x99)
        try #require(device.peers.count == 1)
        #expect(device.peers[0].publicKey == peer)
        #expect(device.peers[0].endpoint?.description == "198.51.100.3:1234")
        #expect(device.peers[0].persistentKeepalive == 7)
        #expect(device.peers[0].allowedIPs == [try IPNetwork("10.77.0.0/24"), try IPNetwork("fd77::/48")])
    }

    @Test func tenThousandPeersNoSlowerThanWgSetconf() throws {
        let count = 10_000
        let peers = (0..<count).map { index in
            PeerConfig(publicKey: UserspaceLive.peerKey(index), replaceAllowedIPs: true,
                       allowedIPs: [try! IPNetwork("10.\(index / 256).\(index % 256).0/24")])
        }
        var file = "[Interface]\n"
        for peer in peers { file += "[Peer]\nPublicKey = \(peer.publicKey.base64)\nAllowedIPs = \(peer.allowedIPs[0])\n" }

        // Other suites may run beside this one, so take the best of two alternating rounds,
        // each on a fresh device, before comparing.
        var ourBest = Double.infinity
        var wgBest = Double.infinity
        for _ in 0..<2 {
            let ours = try UserspaceLive.makeDevice()
            defer { UserspaceLive.deleteDevice(ours) }
            let start = UserspaceLive.now()
            let report = try backend.configure(device: ours.rawValue, with: DeviceConfig(replacePeers: true, peers: peers))
            ourBest = min(ourBest, UserspaceLive.now() - start)
            #expect(report.messagesSent == 1)

            let readStart = UserspaceLive.now()
            let device = try backend.device(named: ours.rawValue)
            print("UAPI get of \(count) peers: \(UserspaceLive.now() - readStart) s")
            #expect(device.peers.count == count)
            #expect(Set(device.peers.map(\.publicKey)) == Set(peers.map(\.publicKey)))

            let theirs = try UserspaceLive.makeDevice()
            defer { UserspaceLive.deleteDevice(theirs) }
            let wgStart = UserspaceLive.now()
            let wg = UserspaceLive.run(["wg", "setconf", theirs.rawValue, "/dev/stdin"], input: file)
            wgBest = min(wgBest, UserspaceLive.now() - wgStart)
            #expect(wg.status == 0, "\(wg.output)")
            #expect(try backend.device(named: theirs.rawValue).peers.count == count)
        }
        // Informational only: speed is judged by `make bench` (docs/benchmarks.md), not by a
        // timed test that a busy CI machine could fail.
        print("UAPI set of \(count) peers: \(ourBest) s; wg setconf: \(wgBest) s (best of 2)")
    }

    @Test func fiveThousandAllowedIPsOnOnePeer() throws {
        let name = try UserspaceLive.makeDevice()
        defer { UserspaceLive.deleteDevice(name) }
        let peer = UserspaceLive.peerKey(1)
        let networks = (0..<5_000).map { try! IPNetwork("10.\($0 / 250).\($0 % 250).0/24") }
        try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [
            PeerConfig(publicKey: peer, replaceAllowedIPs: true, allowedIPs: networks)]))
        let device = try backend.device(named: name.rawValue)
        try #require(device.peers.count == 1)
        #expect(Set(device.peers[0].allowedIPs) == Set(networks))
    }

    @Test func removalsAndReplacements() throws {
        let name = try UserspaceLive.makeDevice()
        defer { UserspaceLive.deleteDevice(name) }
        let key = UserspaceLive.privateKey()
        let (a, b) = (UserspaceLive.peerKey(1), UserspaceLive.peerKey(2))
        try backend.configure(device: name.rawValue, with: DeviceConfig(privateKey: key.secret, peers: [
            PeerConfig(publicKey: a, presharedKey: PresharedKey.generate(), allowedIPs: [try IPNetwork("10.1.0.0/16")]),
            PeerConfig(publicKey: b, allowedIPs: [try IPNetwork("10.2.0.0/16"), try IPNetwork("10.3.0.0/16")]),
        ]))
        // Remove the PSK, replace b's allowed IPs, remove the private key.
        try backend.configure(device: name.rawValue, with: DeviceConfig(privateKey: .zero, peers: [
            PeerConfig(publicKey: a, presharedKey: .zero),
            PeerConfig(publicKey: b, replaceAllowedIPs: true, allowedIPs: [try IPNetwork("10.4.0.0/16")]),
        ]))
        var device = try backend.device(named: name.rawValue)
        #expect(device.privateKey == nil)
        #expect(device.publicKey == nil)
        #expect(device.peers.first { $0.publicKey == a }?.presharedKey == nil)
        #expect(device.peers.first { $0.publicKey == b }?.allowedIPs == [try IPNetwork("10.4.0.0/16")])

        try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [PeerConfig(publicKey: a, remove: true)]))
        device = try backend.device(named: name.rawValue)
        #expect(device.peers.map(\.publicKey) == [b])

        // replace_peers with nothing empties the device.
        try backend.configure(device: name.rawValue, with: DeviceConfig(replacePeers: true))
        #expect(try backend.device(named: name.rawValue).peers.isEmpty)
    }

    @Test func anAllowedIPMovesBetweenPeers() throws {
        let name = try UserspaceLive.makeDevice()
        defer { UserspaceLive.deleteDevice(name) }
        let (a, b) = (UserspaceLive.peerKey(1), UserspaceLive.peerKey(2))
        let moving = try IPNetwork("10.9.9.0/24")
        try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [
            PeerConfig(publicKey: a, allowedIPs: [moving, try IPNetwork("10.1.0.0/16")]),
            PeerConfig(publicKey: b, allowedIPs: [try IPNetwork("10.2.0.0/16")]),
        ]))
        try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [PeerConfig(publicKey: b, allowedIPs: [moving])]))
        let device = try backend.device(named: name.rawValue)
        #expect(device.peers.first { $0.publicKey == a }?.allowedIPs == [try IPNetwork("10.1.0.0/16")])
        #expect(Set(device.peers.first { $0.publicKey == b }?.allowedIPs ?? []) == [try IPNetwork("10.2.0.0/16"), moving])
    }

    @Test func errorPaths() throws {
        let name = try UserspaceLive.makeDevice()
        let other = try UserspaceLive.makeDevice()
        defer {
            UserspaceLive.deleteDevice(name)
            UserspaceLive.deleteDevice(other)
        }
        let peer = UserspaceLive.peerKey(3)
        try backend.configure(device: name.rawValue, with: DeviceConfig(listenPort: 0, peers: [
            PeerConfig(publicKey: peer, allowedIPs: [try IPNetwork("10.1.0.0/16")])]))
        let before = try backend.device(named: name.rawValue)

        // Removing one allowed IP: refused before sending, device unchanged.
        let unsupported = try #require(throws: WireGuardError.self) {
            try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [
                PeerConfig(publicKey: peer, removedAllowedIPs: [try IPNetwork("10.1.0.0/16")])]))
        }
        #expect(unsupported.code == .unsupportedByImplementation)
        #expect(try backend.device(named: name.rawValue) == before)

        // A port another device holds: wireguard-go answers errno=-98.
        let inUse = try #require(throws: WireGuardError.self) {
            try backend.configure(device: other.rawValue, with: DeviceConfig(listenPort: before.listenPort))
        }
        #expect(inUse.code == .rejected)
        #expect(inUse.errno == EADDRINUSE)
        #expect(inUse.reason.contains(other.rawValue))

        // update_only never creates.
        try backend.configure(device: name.rawValue, with: DeviceConfig(peers: [
            PeerConfig(publicKey: UserspaceLive.peerKey(99), updateOnly: true, allowedIPs: [try IPNetwork("10.99.0.0/16")])]))
        #expect(try backend.device(named: name.rawValue).peers.count == 1)

        // Gone after the link is deleted.
        UserspaceLive.deleteDevice(other)
        var waited = 0
        while backend.socketExists(for: other.rawValue), waited < 200 { usleep(10_000); waited += 1 }
        let gone = try #require(throws: WireGuardError.self) { try backend.device(named: other.rawValue) }
        #expect(gone.code == .noSuchDevice)
        #expect(try !backend.deviceNames().contains(other.rawValue))
        #expect(try backend.deviceNames().contains(name.rawValue))
    }
}
