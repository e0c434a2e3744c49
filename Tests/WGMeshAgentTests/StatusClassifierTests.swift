import Testing
import WGMeshCore
@testable import WGMeshAgent

/// Every peer state and its edges, with a fixed clock: the rules
/// `wgmesh status` and the published view are built from.
@Suite struct StatusClassifierTests {
    static let now: Int64 = 1_800_000_000
    static let key = try! WireGuardKey(rawBytes: [UInt8](repeating: 7, count: 32))
    static let endpoint = try! Endpoint("10.99.0.3:51820")
    static let allowed = [try! IPNetwork("10.244.2.0/24"), try! IPNetwork("10.244.2.1/32")]

    static func wanted() -> DesiredPeer {
        DesiredPeer(publicKey: key, endpoint: endpoint, allowedIPs: allowed)
    }

    static func actual(handshakeAge: Int64? = nil, sent: UInt64 = 0, received: UInt64 = 0) -> WireGuardPeer {
        WireGuardPeer(publicKey: key, endpoint: endpoint, lastHandshake: handshakeAge.map { Timestamp(seconds: now - $0) },
                      rxBytes: received, txBytes: sent, allowedIPs: allowed)
    }

    static func classify(wanted: DesiredPeer? = wanted(), actual: WireGuardPeer?, previousSent: UInt64? = nil)
        -> PeerReport
    {
        PeerClassifier.report(PeerClassifier.Input(
            interfaceName: "wg0", nodeName: wanted == nil ? nil : "node-c", wanted: wanted, actual: actual,
            previousSent: previousSent, now: now))
    }

    /// One case: the device's peer, the previous transmit count, the state expected.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var handshakeAge: Int64?
        var sent: UInt64
        var previousSent: UInt64?
        var state: PeerState
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "fresh handshake", handshakeAge: 12, sent: 5000, previousSent: 100, state: .ok),
        Case(name: "exactly 180 s is still ok", handshakeAge: 180, sent: 5000, previousSent: 100, state: .ok),
        Case(name: "181 s with traffic since the last check", handshakeAge: 181, sent: 5000, previousSent: 100,
             state: .stale),
        Case(name: "old handshake, nothing sent since", handshakeAge: 600, sent: 5000, previousSent: 5000, state: .ok),
        Case(name: "old handshake, no earlier report to compare", handshakeAge: 600, sent: 5000, previousSent: nil,
             state: .ok),
        Case(name: "old handshake, counter went down (peer re-added)", handshakeAge: 600, sent: 10,
             previousSent: 5000, state: .ok),
        Case(name: "no handshake, nothing sent", handshakeAge: nil, sent: 0, previousSent: nil, state: .idle),
        Case(name: "no handshake, one byte sent", handshakeAge: nil, sent: 1, previousSent: nil, state: .never),
        Case(name: "no handshake, 1.2 KiB sent", handshakeAge: nil, sent: 1229, previousSent: 0, state: .never),
        Case(name: "handshake in the future (clock step) is ok", handshakeAge: -30, sent: 5000, previousSent: 100,
             state: .ok),
    ]

    @Test(arguments: cases) func deviceStates(_ test: Case) {
        let report = Self.classify(
            actual: Self.actual(handshakeAge: test.handshakeAge, sent: test.sent), previousSent: test.previousSent)
        #expect(report.state == test.state)
        #expect(report.publicKey == Self.key)
        #expect(report.endpoint == "10.99.0.3:51820")
        #expect(report.allowedIPs == Self.allowed)
        #expect(report.sentBytes == test.sent)
        #expect(report.latestHandshake == test.handshakeAge.map { Self.now - $0 })
        #expect(report.nodeName == "node-c")
    }

    @Test func neverSaysWhatWasSentAndWhereToLook() {
        let report = Self.classify(actual: Self.actual(sent: 1229))
        #expect(report.reason == "no handshake although 1.2 KiB were sent: check that UDP 51820 reaches 10.99.0.3 "
            + "(firewall, security group)")
    }

    @Test func staleCountsOnlyWhatWasSentSinceTheLastCheck() {
        let report = Self.classify(actual: Self.actual(handshakeAge: 252, sent: 4096 + 300), previousSent: 300)
        #expect(report.state == .stale)
        #expect(report.reason.hasPrefix("latest handshake 4m12s ago although 4.0 KiB were sent since the last check: "
            + "check that UDP 51820 reaches 10.99.0.3"))
        #expect(report.reason.hasSuffix("that wgmeshd runs on node-c"))
    }

    @Test func okSaysTheAge() {
        #expect(Self.classify(actual: Self.actual(handshakeAge: 12, sent: 1)).reason == "latest handshake 12s ago")
    }

    @Test func missingTakesEndpointAndAllowedIPsFromThePlan() {
        let report = Self.classify(actual: nil)
        #expect(report.state == .missing)
        #expect(report.endpoint == "10.99.0.3:51820")
        #expect(report.allowedIPs == Self.allowed)
        #expect(report.latestHandshake == nil)
        #expect(report.sentBytes == 0 && report.receivedBytes == 0)
        #expect(report.reason.contains("not on wg0"))
    }

    @Test func unexpectedNamesTheCommandThatRemovesIt() {
        let report = Self.classify(wanted: nil, actual: Self.actual(handshakeAge: 5, sent: 10))
        #expect(report.state == .unexpected)
        #expect(report.nodeName == nil)
        #expect(report.reason.hasSuffix("remove it with `wg set wg0 peer \(Self.key.base64) remove`"))
    }

    @Test func neverWithoutEndpointSaysSo() {
        var peer = Self.actual(sent: 148)
        peer.endpoint = nil
        var wanted = Self.wanted()
        wanted.endpoint = nil
        let report = Self.classify(wanted: wanted, actual: peer)
        #expect(report.state == .never)
        #expect(report.endpoint == nil)
        #expect(report.reason.contains("it has no endpoint"))
    }

    @Test(arguments: [
        (PeerState.ok, true), (.idle, true), (.stale, false), (.never, false), (.missing, false), (.unexpected, false),
    ])
    func health(_ state: PeerState, _ healthy: Bool) {
        #expect(state.isHealthy == healthy)
    }

    @Test(arguments: [
        (UInt64(0), "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1229, "1.2 KiB"), (1536, "1.5 KiB"),
        (1_048_576, "1.0 MiB"), (5_368_709_120, "5.0 GiB"),
    ])
    func bytes(_ count: UInt64, _ text: String) {
        #expect(HumanUnits.bytes(count) == text)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (59, "59s"), (60, "1m"), (252, "4m12s"), (3600, "1h"), (3720, "1h2m"), (90000, "1d1h"),
        (-5, "0s"),
    ])
    func ages(_ seconds: Int64, _ text: String) {
        #expect(HumanUnits.age(seconds: seconds) == text)
    }
}
