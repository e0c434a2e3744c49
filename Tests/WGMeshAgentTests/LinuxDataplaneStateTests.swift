import Glibc
import Testing
@testable import WGMeshAgent
import WGMeshCore
import WGMeshKeys
import WGMeshRouting
import WGMeshWireGuard
import WGMeshTestSupport

/// The parts of the dataplane that need no kernel: the owned-peer file, the
/// route mapping and the device cache.
@Suite struct LinuxDataplaneStateTests {
    @Test func ownedPeersRoundTripMode0600() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-peers")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let file = OwnedPeerFile(stateDirectory: directory + "/state")
        #expect(try file.read().isEmpty)
        let keys: Set<WireGuardKey> = [Curve25519.KeyAgreement.PrivateKey().publicKey,
                                       Curve25519.KeyAgreement.PrivateKey().publicKey]
        try file.write(keys)
        #expect(try file.read() == keys)
        var info = stat()
        #expect(stat(file.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(directory + "/state", &info) == 0 && info.st_mode & 0o777 == 0o700)
        try file.write([])
        #expect(try file.read().isEmpty)
        #expect(try file.remove())
        #expect(try !file.remove())
    }

    @Test func aBadLineIsAClearErrorAndTheFileIsKept() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-peers")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let file = OwnedPeerFile(stateDirectory: directory)
        let good = Curve25519.KeyAgreement.PrivateKey().publicKey
        let text = "\(good.base64)\nnot-a-key\n"
        let fd = open(file.path, O_WRONLY | O_CREAT, 0o600)
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let error = try #require(throws: AgentError.self) { try file.read() }
        #expect(error.code == .stateDirectory)
        #expect(error.reason.contains("line 2 of \(file.path)"))
        #expect(access(file.path, F_OK) == 0)
    }

    @Test(arguments: [
        ("10.244.1.0/26", PlannedRoute.Action.wireGuard, RouteType.unicast, RouteScope.link, UInt32?.none),
        ("10.244.128.0/24", .throw, .throw, .universe, nil),
        ("fd00:244::/64", .wireGuard, .unicast, .universe, Route.ipv6DefaultMetric),
        ("fd00:244:80::/64", .throw, .throw, .universe, Route.ipv6DefaultMetric),
    ])
    func plannedRoutesBecomeKernelRoutes(destination: String, action: PlannedRoute.Action, type: RouteType,
                                         scope: RouteScope, metric: UInt32?) throws
    {
        let settings = DataplaneSettings(interfaceName: "wgm9", routingTable: 777)
        let dataplane = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
        let route = dataplane.route(for: PlannedRoute(try IPNetwork(destination), action), outputInterface: 42)
        #expect(route.table == 777)
        #expect(route.type == type)
        #expect(route.scope == scope)
        #expect(route.metric == metric)
        #expect(route.protocol == .wgmesh)
        #expect(route.outputInterface == (type == .unicast ? 42 : nil))
    }

    @Test func theRuleFollowsCalico() {
        let settings = DataplaneSettings(interfaceName: "wgm9", fwmark: 0x20_0000, routingTable: 777, rulePriority: 55)
        let rule = LinuxDataplane(settings: settings, logger: DataplaneLive.logger()).rule(for: .v6)
        #expect(rule == Rule(family: .v6, priority: 55, table: 777, fwmark: 0x20_0000, fwmask: 0x20_0000, invert: true,
                             protocol: .wgmesh))
    }

    @Test func theCacheIsWhatTheDiffWouldReadBack() throws {
        let key = Curve25519.KeyAgreement.PrivateKey()
        let roamed = try Endpoint("198.51.100.4:4000")
        let stays = Curve25519.KeyAgreement.PrivateKey().publicKey
        let gone = Curve25519.KeyAgreement.PrivateKey().publicKey
        let new = Curve25519.KeyAgreement.PrivateKey().publicKey
        let before = WireGuardDevice(name: "wgm9", listenPort: 1000, peers: [
            WireGuardPeer(publicKey: stays, endpoint: roamed, allowedIPs: [try IPNetwork("10.0.0.0/24")]),
            WireGuardPeer(publicKey: gone, allowedIPs: [try IPNetwork("10.0.1.0/24")]),
        ])
        let desired = DesiredDevice(privateKey: key.secret, listenPort: 51820, fwmark: 0x10_0000, peers: [
            DesiredPeer(publicKey: stays, allowedIPs: [try IPNetwork("10.0.0.0/24"), try IPNetwork("10.0.2.1/32")]),
            DesiredPeer(publicKey: new, endpoint: try Endpoint("192.0.2.1:51820"), persistentKeepalive: 25,
                        allowedIPs: [try IPNetwork("10.0.3.0/24")]),
        ])
        let config = try WireGuardDiff.changes(from: before, to: desired)
        let after = LinuxDataplane.device(after: config, from: before, desired: desired)
        #expect(after.publicKey == key.publicKey)
        #expect(after.listenPort == 51820 && after.fwmark == 0x10_0000)
        #expect(after.peers.map(\.publicKey) == [stays, new])
        #expect(after.peers[0].endpoint == roamed, "a nil desired endpoint keeps the roamed one")
        #expect(try WireGuardDiff.changes(from: after, to: desired).isEmpty)
    }
}
