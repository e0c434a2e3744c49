import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshTestSupport

/// ``LinuxDataplane/kick(_:)`` on a real device (wireguard-go on the host,
/// the module in the VM): it runs on a live device, leaves every peer as
/// planned (keepalives back to their values), and skips unknown keys.
///
/// Whether it sends an initiation is not checked here: wireguard-go sent
/// one to each new peer by itself on this host, and WireGuard sends at most
/// one per peer in 5 s, so a kick moments later is rate-limited; that the
/// replaced peer's handshake starts at once is shown by the mesh test and
/// the benchmark (no 5 s gap in 20 rotations).
@Suite(.serialized, .enabled(if: DataplaneLive.enabled, "set WGMESH_ROOT_TESTS=1 and WGMESH_USERSPACE_TESTS=1 (root, netns)"))
struct RotationKickLiveTests {
    @Test func aKickLeavesEveryPeerAsPlannedAndSkipsUnknownKeys() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-kick")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let settings = DataplaneLive.settings(stateDirectory: directory)
        let dataplane = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
        defer { _ = try? dataplane.cleanup() }
        _ = try dataplane.prepareInterface()
        DataplaneLive.tool("ip", "link", "set", "lo", "up")
        var fixture = try DataplaneFixture()
        // Loopback endpoints nobody answers on: a route exists, so sending cannot fail.
        for index in fixture.peers.indices {
            fixture.peers[index].endpoint = try Endpoint("127.0.0.1:\(Int(fixture.listenPort) + 1 + index)")
        }
        try dataplane.apply(fixture.plan, verify: true)
        let before = DataplaneLive.peers(settings.interfaceName)
        #expect(before.values.filter { $0.hasSuffix(" 25") }.count == 1)

        try dataplane.kick(fixture.peers.map(\.publicKey))

        // Keepalive 25 on peer 0 and off on the others, as planned: the kick's 0 and 1 are gone.
        #expect(DataplaneLive.peers(settings.interfaceName) == before)
        let summary = try dataplane.apply(fixture.plan, verify: true)
        #expect(summary.isEmpty, "the kick left the device off plan: \(summary)")
        // A key not on the device is skipped, not created.
        try dataplane.kick([DataplaneLive.key()])
        #expect(DataplaneLive.peers(settings.interfaceName).count == 3)
    }
}
