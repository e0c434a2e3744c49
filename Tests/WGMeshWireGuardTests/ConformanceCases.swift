import Glibc
import Synchronization
import Testing
import WGMeshCore
import WGMeshKeys
import WGMeshWireGuard

/// Behaviour every WireGuard backend must share, checked against the real implementation.
///
/// Called from the kernel and userspace suites in ConformanceSuites.swift.
enum ConformanceCases {
    static func net(_ text: String) -> IPNetwork { try! IPNetwork(text) }

    /// A distinct, valid-looking public key per index (neither implementation checks the curve).
    static func peerKey(_ index: Int, salt: UInt64 = 0xC0FFEE) -> WireGuardKey {
        withUnsafeBytes(of: (UInt64(index) + 1, salt, UInt64(0x42), UInt64(0x99))) { WireGuardKey(unsafeBytes: $0) }
    }

    static func psk(_ index: Int) -> SecretKey {
        withUnsafeBytes(of: (UInt64(index) + 7, UInt64(0x1234), UInt64(5), UInt64(6))) { source in
            SecretKey { $0.copyMemory(from: source) }
        }
    }

    // MARK: - Set and get everything

    static func setAndGetEverything(_ target: ConformanceTarget) throws {
        let backend = try target.makeBackend()
        try target.withDevice { name in
            let device = Curve25519.KeyAgreement.PrivateKey()
            let a = peerKey(1), b = peerKey(2)
            let config = DeviceConfig(
                privateKey: device.secret, listenPort: 51999, fwmark: 0x2a,
                peers: [
                    PeerConfig(publicKey: a, presharedKey: psk(1), endpoint: try Endpoint("192.0.2.10:51820"),
                               persistentKeepalive: 21, allowedIPs: [net("10.10.0.0/24"), net("fd10::/64")]),
                    PeerConfig(publicKey: b, endpoint: try Endpoint("[2001:db8::10]:51821"),
                               allowedIPs: [net("10.20.0.1/32"), net("fd20::1/128")]),
                ])
            try backend.configure(device: name, with: config)
            let got = try backend.device(named: name)
            #expect(got.name == name)
            #expect(got.privateKey == device.secret)
            #expect(got.publicKey == device.publicKey)
            #expect(got.listenPort == 51999)
            #expect(got.fwmark == 0x2a)
            let peers = Dictionary(uniqueKeysWithValues: got.peers.map { ($0.publicKey, $0) })
            let pa = try #require(peers[a]), pb = try #require(peers[b])
            #expect(pa.presharedKey == psk(1))
            #expect(pa.endpoint == (try Endpoint("192.0.2.10:51820")))
            #expect(pa.persistentKeepalive == 21)
            #expect(Set(pa.allowedIPs) == [net("10.10.0.0/24"), net("fd10::/64")])
            #expect(pb.presharedKey == nil)
            #expect(pb.endpoint == (try Endpoint("[2001:db8::10]:51821")))
            #expect(pb.persistentKeepalive == 0)
            #expect(Set(pb.allowedIPs) == [net("10.20.0.1/32"), net("fd20::1/128")])
            #expect(try backend.deviceNames().contains(name))
        }
    }

    // MARK: - Scale

    static func tenThousandPeers(_ target: ConformanceTarget) throws {
        let backend = try target.makeBackend()
        try target.withDevice { name in
            let peers = (0..<10_000).map { index in
                PeerConfig(publicKey: peerKey(index), endpoint: Endpoint(
                    address: try! IPAddress(networkBytes: [198, 18, UInt8(index >> 8), UInt8(index & 255)]), port: 51820),
                    allowedIPs: [net("10.\(index >> 8).\(index & 255).0/24")])
            }
            let start = UserspaceLive.now()
            let report = try backend.configure(device: name, with: DeviceConfig(replacePeers: true, peers: peers))
            let applied = UserspaceLive.now()
            let got = try backend.device(named: name)
            let read = UserspaceLive.now()
            print("\(target.name): set 10,000 peers in \(applied - start) s with \(report.messagesSent) messages; read in \(read - applied) s")
            #expect(got.peers.count == 10_000)
            let byKey = Dictionary(uniqueKeysWithValues: got.peers.map { ($0.publicKey, $0) })
            for index in [0, 1, 4_999, 9_998, 9_999] {
                #expect(byKey[peerKey(index)]?.allowedIPs == [net("10.\(index >> 8).\(index & 255).0/24")])
            }
            // Removing 10,000 peers is the slow part in the VM (an RCU wait per peer): time it too.
            let removeStart = UserspaceLive.now()
            try backend.configure(device: name, with: DeviceConfig(replacePeers: true))
            print("\(target.name): removed 10,000 peers with REPLACE_PEERS in \(UserspaceLive.now() - removeStart) s")
            #expect(try backend.device(named: name).peers.isEmpty)
        }
    }

    static func onePeerWithFiveThousandIPs(_ target: ConformanceTarget) throws {
        let backend = try target.makeBackend()
        try target.withDevice { name in
            let ips = (0..<5_000).map { index in
                index % 2 == 0 ? net("10.\(index >> 8 & 255).\(index & 255).0/24") : net("fd00:\(index)::/64")
            }
            try backend.configure(device: name, with: DeviceConfig(peers: [
                PeerConfig(publicKey: peerKey(1), presharedKey: psk(1), persistentKeepalive: 5, allowedIPs: ips)]))
            let got = try backend.device(named: name)
            try #require(got.peers.count == 1)
            #expect(got.peers[0].allowedIPs.count == 5_000)
            #expect(Set(got.peers[0].allowedIPs) == Set(ips))
            #expect(got.peers[0].presharedKey == psk(1) && got.peers[0].persistentKeepalive == 5)
        }
    }

    // MARK: - Removals

    static func removals(_ target: ConformanceTarget) throws {
        let backend = try target.makeBackend()
        try target.withDevice { name in
            try backend.configure(device: name, with: DeviceConfig(peers: [
                PeerConfig(publicKey: peerKey(1), presharedKey: psk(1), allowedIPs: [net("10.1.0.0/16")]),
                PeerConfig(publicKey: peerKey(2), presharedKey: psk(2), allowedIPs: [net("10.2.0.0/16")]),
            ]))
            try backend.configure(device: name, with: DeviceConfig(peers: [
                PeerConfig(publicKey: peerKey(1), remove: true),
                PeerConfig(publicKey: peerKey(2), updateOnly: true, presharedKey: .zero),
                PeerConfig(publicKey: peerKey(3), remove: true),       // unknown: skipped, not an error
                PeerConfig(publicKey: peerKey(4), updateOnly: true),   // unknown: not created
            ]))
            let got = try backend.device(named: name)
            #expect(got.peers.map(\.publicKey) == [peerKey(2)])
            #expect(got.peers.first?.presharedKey == nil)
            #expect(got.peers.first?.allowedIPs == [net("10.2.0.0/16")])
            try backend.configure(device: name, with: DeviceConfig(peers: [
                PeerConfig(publicKey: peerKey(2), replaceAllowedIPs: true, allowedIPs: [net("10.3.0.0/16")])]))
            #expect(try backend.device(named: name).peers.first?.allowedIPs == [net("10.3.0.0/16")])
        }
    }

    // MARK: - Moves under concurrent reads

    /// An allowed IP moved between two peers must always belong to exactly one of them.
    static func allowedIPMovesAreAtomicForReaders(_ target: ConformanceTarget, moves: Int) throws {
        let backend = try target.makeBackend()
        let watcherBackend = try target.makeBackend()
        try target.withDevice { name in
            let p1 = peerKey(1), p2 = peerKey(2)
            let moving = net("10.99.0.0/24")
            try backend.configure(device: name, with: DeviceConfig(peers: [
                PeerConfig(publicKey: p1, allowedIPs: [net("10.1.0.0/24"), moving]),
                PeerConfig(publicKey: p2, allowedIPs: [net("10.2.0.0/24")]),
            ]))
            let stop = Atomic<Bool>(false)
            let watch = ConformanceWatch()
            let watcher = ConformanceThread {
                var reads = 0
                var problems: [String] = []
                defer { watch.reads = reads; watch.problems = problems }
                while !stop.load(ordering: .relaxed) || reads == 0 {
                    do {
                        let device = try watcherBackend.device(named: name)
                        reads += 1
                        let holders = device.peers.filter { $0.allowedIPs.contains(moving) }.map(\.publicKey)
                        if holders.count != 1 || !(holders[0] == p1 || holders[0] == p2) {
                            problems.append("read \(reads): \(holders.count) holders")
                        }
                        let others = Set(device.peers.flatMap(\.allowedIPs)).subtracting([moving])
                        if others != [net("10.1.0.0/24"), net("10.2.0.0/24")] { problems.append("read \(reads): \(others)") }
                    } catch {
                        problems.append("read failed: \(error)")
                        break
                    }
                }
            }
            for move in 0..<moves {
                let to = move % 2 == 0 ? p2 : p1
                try backend.configure(device: name, with: DeviceConfig(peers: [
                    PeerConfig(publicKey: to, updateOnly: true, allowedIPs: [moving])]))
            }
            stop.store(true, ordering: .relaxed)
            watcher.join()
            let reads = watch.reads, problems = watch.problems
            print("\(target.name): \(moves) moves watched by \(reads) reads")
            #expect(reads > 0)
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            let final = try backend.device(named: name)
            let owner = final.peers.first { $0.allowedIPs.contains(moving) }?.publicKey
            #expect(owner == (moves % 2 == 0 ? p1 : p2))
        }
    }

    // MARK: - Errors

    /// A missing device and a non-WireGuard link give clear, distinct errors.
    static func missingAndForeignDevices(_ target: ConformanceTarget, expectNotWireGuard: Bool) throws {
        let backend = try target.makeBackend()
        let missing = ConformanceTarget.uniqueName()
        #expect { try backend.device(named: missing) } throws: { ($0 as? WireGuardError)?.code == .noSuchDevice }
        #expect { try backend.configure(device: missing, with: DeviceConfig(listenPort: 1)) } throws: {
            ($0 as? WireGuardError)?.code == .noSuchDevice
        }
        let dummy = ConformanceTarget.uniqueName()
        // A bridge, not a dummy: the host kernel has no dummy driver, and both have bridges.
        let created = UserspaceLive.run(["ip", "link", "add", dummy, "type", "bridge"])
        try #require(created.status == 0, "ip link add type bridge: \(created.output)")
        defer { _ = UserspaceLive.run(["ip", "link", "del", dummy]) }
        #expect { try backend.device(named: dummy) } throws: { error in
            let code = (error as? WireGuardError)?.code
            return expectNotWireGuard ? code == .notWireGuard : (code == .notWireGuard || code == .noSuchDevice)
        }
    }

    /// Curve25519's low-order points are peer keys the implementation takes (wg(8) passes them on),
    /// with or without a device key, and they read back as they were set.
    static func lowOrderPeerKeysAreAccepted(_ target: ConformanceTarget, _ backend: any WireGuardBackend) throws {
        try target.withDevice { name in
            let points = WireGuardKey.lowOrderPoints
            let device = Curve25519.KeyAgreement.PrivateKey()
            try backend.configure(device: name, with: DeviceConfig(privateKey: device.secret, listenPort: 40000, peers:
                points.enumerated().map { index, key in
                    PeerConfig(publicKey: key, endpoint: try! Endpoint("127.0.0.1:\(1111 + index)"),
                               persistentKeepalive: 1, allowedIPs: [net("10.3.\(index).0/24")])
                }))
            let peers = try backend.device(named: name).peers
            #expect(Set(peers.map(\.publicKey)) == Set(points))
            for (index, key) in points.enumerated() {
                let peer = peers.first { $0.publicKey == key }
                #expect(peer?.allowedIPs == [net("10.3.\(index).0/24")], "peer \(key)")
                #expect(peer?.persistentKeepalive == 1, "peer \(key)")
            }
        }
    }

    // MARK: - Cross-checks with wg(8)

    /// What we set, `wg showconf` reads; what `wg setconf` sets, we read.
    static func crossCheckWithWg(_ target: ConformanceTarget) throws {
        let backend = try target.makeBackend()
        try target.withDevice { name in
            let device = Curve25519.KeyAgreement.PrivateKey()
            try backend.configure(device: name, with: DeviceConfig(privateKey: device.secret, listenPort: 51777, fwmark: 7, peers: [
                PeerConfig(publicKey: peerKey(1), presharedKey: psk(1), endpoint: try Endpoint("[2001:db8::7]:7777"),
                           persistentKeepalive: 33, allowedIPs: [net("10.7.0.0/16"), net("fd07::/48")])]))
            let shown = UserspaceLive.run(["wg", "showconf", name])
            try #require(shown.status == 0, "wg showconf: \(shown.output)")
            let lines = Set(shown.output.split(separator: "\n").map { String($0) })
            #expect(lines.contains("PrivateKey = \(device.secret.base64EncodedSecret())"))
            #expect(lines.contains("ListenPort = 51777"))
            #expect(lines.contains("FwMark = 0x7"))
            #expect(lines.contains("PublicKey = \(peerKey(1).base64)"))
            #expect(lines.contains("PresharedKey = \(psk(1).base64EncodedSecret())"))
            #expect(lines.contains("Endpoint = [2001:db8::7]:7777"))
            #expect(lines.contains("PersistentKeepalive = 33"))
            #expect(lines.contains("AllowedIPs = 10.7.0.0/16, fd07::/48"))
        }
        try target.withDevice { name in
            let device = Curve25519.KeyAgreement.PrivateKey()
            let conf = """
                [Interface]
                PrivateKey = \(device.secret.base64EncodedSecret())
                ListenPort = 51778
                FwMark = 0x99

                [Peer]
                PublicKey = \(peerKey(2).base64)
                PresharedKey = \(psk(2).base64EncodedSecret())
                Endpoint = 192.0.2.99:9999
                PersistentKeepalive = 44
                AllowedIPs = 10.9.0.0/16, fd09::/48

                [Peer]
                PublicKey = \(peerKey(3).base64)
                AllowedIPs = 10.10.10.10/32

                """
            let set = UserspaceLive.run(["wg", "setconf", name, "/dev/stdin"], input: conf)
            try #require(set.status == 0, "wg setconf: \(set.output)")
            let got = try backend.device(named: name)
            #expect(got.privateKey == device.secret && got.publicKey == device.publicKey)
            #expect(got.listenPort == 51778 && got.fwmark == 0x99)
            let peers = Dictionary(uniqueKeysWithValues: got.peers.map { ($0.publicKey, $0) })
            let p2 = try #require(peers[peerKey(2)])
            #expect(p2.presharedKey == psk(2))
            #expect(p2.endpoint == (try Endpoint("192.0.2.99:9999")))
            #expect(p2.persistentKeepalive == 44)
            #expect(Set(p2.allowedIPs) == [net("10.9.0.0/16"), net("fd09::/48")])
            #expect(peers[peerKey(3)]?.allowedIPs == [net("10.10.10.10/32")])
        }
    }
}

/// A joinable POSIX thread, so a watcher can block on reads without tying up the cooperative pool.
final class ConformanceThread: @unchecked Sendable {
    // Written by the thread before it exits, read after pthread_join: the join orders them.
    private var thread = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { raw in
            let me = Unmanaged<ConformanceThread>.fromOpaque(raw!).takeRetainedValue()
            me.body()
            return nil
        }, context)
        precondition(created == 0, "pthread_create failed: \(created)")
    }

    /// Waits for the thread to finish.
    func join() { pthread_join(thread, nil) }
}

/// What the watcher thread saw, handed back after join.
final class ConformanceWatch: @unchecked Sendable {
    var reads = 0
    var problems: [String] = []
}
