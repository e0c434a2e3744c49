import Logging
import Synchronization
import Testing
import WGMeshCore
import WGMeshResources
@testable import WGMeshAgent

/// The reporter over a fake device: wanted and actual peers merged, the
/// transmit baseline kept between reports, and the JSON schema.
@Suite struct StatusReporterTests {
    static func key(_ byte: UInt8) -> WireGuardKey { try! WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32)) }
    static let start: Int64 = 1_800_000_000

    /// A wall clock the test moves by hand.
    final class Clock: Sendable {
        let now = Mutex<Int64>(StatusReporterTests.start)
    }

    /// A reporter over a FakeDataplane "wg0" whose clock the test moves.
    struct Fixture {
        let dataplane = FakeDataplane(interfaceName: "wg0")
        let clock = Clock()
        let plan: MeshPlan
        let reporter: StatusReporter

        init(wanted: [UInt8] = [2, 3, 4]) {
            var peers: [DesiredPeer] = []
            var nodes: [WireGuardKey: String] = [:]
            for byte in wanted {
                peers.append(DesiredPeer(publicKey: key(byte), endpoint: try! Endpoint("10.99.0.\(byte):51820"),
                                         allowedIPs: [try! IPNetwork("10.244.\(byte).0/24")]))
                nodes[key(byte)] = "node-\(byte)"
            }
            let plan = MeshPlan(device: DesiredDevice(listenPort: 51820, peers: peers), mtu: 1420, peerNodes: nodes)
            self.plan = plan
            let clock = self.clock
            reporter = StatusReporter(
                plan: { plan }, dataplane: dataplane,
                facts: { LocalStatusBuilder(nodeName: "node-1", backend: "userspace", mtu: 1420) },
                clock: { clock.now.withLock { $0 } })
        }

        /// Puts `peers` on the device as they are.
        func device(_ peers: [WireGuardPeer]) {
            dataplane.backend.setDevice(WireGuardDevice(
                name: "wg0", publicKey: key(1), listenPort: 51820, fwmark: 0x4000, peers: peers))
        }

        func advance(_ seconds: Int64) { clock.now.withLock { $0 += seconds } }
    }

    static func peer(_ byte: UInt8, handshake: Int64?, sent: UInt64, received: UInt64 = 0) -> WireGuardPeer {
        WireGuardPeer(publicKey: key(byte), endpoint: try! Endpoint("10.99.0.\(byte):51820"),
                      lastHandshake: handshake.map { Timestamp(seconds: $0) }, rxBytes: received, txBytes: sent,
                      allowedIPs: [try! IPNetwork("10.244.\(byte).0/24")])
    }

    @Test func mergesWantedAndActualPeers() async throws {
        let fixture = Fixture()
        // 2 fine, 3 missing, 4 never, 9 on the device but not wanted.
        fixture.device([Self.peer(2, handshake: Self.start - 5, sent: 900, received: 700),
                        Self.peer(4, handshake: nil, sent: 148), Self.peer(9, handshake: nil, sent: 0)])
        let status = try await fixture.reporter.report()
        #expect(status.nodeName == "node-1")
        #expect(status.interfaceName == "wg0")
        #expect(status.publicKey == (try fixture.dataplane.readDevice().publicKey))
        #expect(status.listenPort == 51820)
        #expect(status.fwmark == 0x4000)
        #expect(status.backend == "userspace")
        #expect(status.mtu == 1420)
        #expect(status.observedAt == Self.start)
        #expect(status.peers.map(\.nodeName) == ["node-2", "node-3", "node-4", nil])
        #expect(status.peers.map(\.state) == [.ok, .missing, .never, .unexpected])
        #expect(status.peers[0].receivedBytes == 700)
        #expect(status.peers[1].endpoint == "10.99.0.3:51820")
        #expect(!status.isHealthy)
    }

    @Test func staleNeedsTrafficSinceAnEarlierReport() async throws {
        let fixture = Fixture(wanted: [2])
        let handshake = Self.start
        fixture.device([Self.peer(2, handshake: handshake, sent: 1000)])
        #expect(try await fixture.reporter.report().peers[0].state == .ok)
        // Four minutes later nothing more was sent: an idle session, ok.
        fixture.advance(240)
        #expect(try await fixture.reporter.report().peers[0].state == .ok)
        // Then traffic goes out but no handshake answers.
        fixture.advance(20)
        fixture.device([Self.peer(2, handshake: handshake, sent: 1400)])
        let stale = try await fixture.reporter.report().peers[0]
        #expect(stale.state == .stale)
        #expect(stale.reason.contains("400 B were sent since the last check"))
        // A new handshake makes it ok again.
        fixture.advance(20)
        fixture.device([Self.peer(2, handshake: Self.start + 275, sent: 1600)])
        #expect(try await fixture.reporter.report().peers[0].state == .ok)
    }

    @Test func quickRepeatedReportsKeepTheOlderBaseline() async throws {
        let fixture = Fixture(wanted: [2])
        fixture.device([Self.peer(2, handshake: Self.start - 600, sent: 1000)])
        _ = try await fixture.reporter.report()
        // Within the baseline window the first count stays the reference,
        // so a second `wgmesh status` right after still sees the growth.
        fixture.advance(3)
        fixture.device([Self.peer(2, handshake: Self.start - 600, sent: 1100)])
        #expect(try await fixture.reporter.report().peers[0].state == .stale)
        fixture.advance(1)
        fixture.device([Self.peer(2, handshake: Self.start - 600, sent: 1101)])
        #expect(try await fixture.reporter.report().peers[0].state == .stale)
    }

    @Test func noPlanYetIsAClearError() async throws {
        let fixture = Fixture()
        fixture.device([])
        let reporter = StatusReporter(
            plan: { nil }, dataplane: fixture.dataplane,
            facts: { LocalStatusBuilder(nodeName: "node-1", backend: "kernel", mtu: 1420) }, clock: { 0 })
        let error = await #expect(throws: AgentError.self) { try await reporter.report() }
        #expect(error?.reason.contains("has not applied its first plan yet") == true)
    }

    @Test func missingDeviceIsAnError() async throws {
        let fixture = Fixture()
        await #expect(throws: (any Error).self) { try await fixture.reporter.report() }
    }

    @Test func jsonRoundTripsAndCarriesTheSchema() async throws {
        let fixture = Fixture()
        fixture.device([Self.peer(2, handshake: Self.start - 5, sent: 900, received: 700),
                        Self.peer(9, handshake: nil, sent: 0)])
        let status = try await fixture.reporter.report()
        let json = status.json
        #expect(json["schema"] == .string("wgmesh.status/v1"))
        #expect(json["healthy"] == .bool(false))
        guard case .array(let peers)? = json["peers"] else { Issue.record("no peers list"); return }
        #expect(peers.count == 4)
        #expect(peers[0]["latestHandshake"] == .integer(Self.start - 5))
        #expect(peers[1]["latestHandshake"] == .null)
        #expect(peers[3]["nodeName"] == .null)
        #expect(peers[3]["state"] == .string("unexpected"))
        let text = JSONWriter.string(json)
        let decoded = try LocalStatus(json: try JSONParser.parse(text))
        #expect(decoded == status)
    }

    @Test(arguments: [
        ("schema", JSONValue.string("wgmesh.status/v9"), "schema"),
        ("listenPort", .integer(70000), "listenPort"),
        ("peers", .string("none"), "peers"),
        ("nodeName", .integer(1), "nodeName"),
    ])
    func decodingNamesTheBadField(_ field: String, _ value: JSONValue, _ named: String) throws {
        let status = LocalStatus(nodeName: "n", interfaceName: "wg0", publicKey: nil, listenPort: 1, fwmark: 0,
                                 backend: "kernel", mtu: 1420, observedAt: 1, peers: [])
        guard case .object(var object) = status.json else { Issue.record("not an object"); return }
        object.members = object.members.map { $0.key == field ? .init(key: field, value: value) : $0 }
        let error = #expect(throws: AgentError.self) { try LocalStatus(json: .object(object)) }
        #expect(error?.reason.contains(named) == true)
        #expect(error?.reason.contains("same version") == true)
    }

    @Test func badPeerStateIsRefused() throws {
        let peer = PeerReport(nodeName: "a", publicKey: Self.key(2), endpoint: nil, allowedIPs: [], latestHandshake: nil,
                              receivedBytes: 0, sentBytes: 0, state: .ok, reason: "x")
        guard case .object(var object) = peer.json else { Issue.record("not an object"); return }
        object.members = object.members.map { $0.key == "state" ? .init(key: "state", value: "fine") : $0 }
        let error = #expect(throws: AgentError.self) { try PeerReport(json: .object(object)) }
        #expect(error?.reason.contains("state 'fine' is none of ok, idle, stale, never, missing, unexpected") == true)
    }
}

/// Reporters of one node share the transmit baseline, so a reporter made
/// per metrics scrape still tells stale from idle.
@Suite struct StatusBaselineTests {
    @Test func reportersShareOneBaseline() async throws {
        let fixture = StatusReporterTests.Fixture(wanted: [2])
        let baseline = StatusBaseline()
        let clock = fixture.clock
        func reporter() -> StatusReporter {
            let plan = fixture.plan
            return StatusReporter(
                plan: { plan }, dataplane: fixture.dataplane,
                facts: { LocalStatusBuilder(nodeName: "node-1", backend: "kernel", mtu: 1420) },
                clock: { clock.now.withLock { $0 } }, baseline: baseline)
        }
        let old = StatusReporterTests.start - 600
        fixture.device([StatusReporterTests.peer(2, handshake: old, sent: 1000)])
        #expect(try await reporter().report().peers[0].state == .ok)
        fixture.advance(30)
        fixture.device([StatusReporterTests.peer(2, handshake: old, sent: 1500)])
        #expect(try await reporter().report().peers[0].state == .stale)
    }
}
