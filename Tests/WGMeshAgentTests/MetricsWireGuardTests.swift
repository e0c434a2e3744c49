import Testing
@testable import WGMeshAgent
import WGMeshCore

/// Calico Felix's WireGuard series as `/metrics` renders them.
@Suite("Metrics: Calico-compatible WireGuard series")
struct MetricsWireGuardTests {
    typealias F = MetricsFixture

    func scrape(_ metrics: AgentMetrics, _ device: WireGuardDevice?) -> ScrapedPage {
        ScrapedPage(metrics.scrape(device: device, peerStates: nil, keys: nil, now: 1_700_000_000))
    }

    @Test("meta, bytes and handshake carry Calico's names, labels and the device's values")
    func seriesFromDevice() {
        let metrics = AgentMetrics(nodeName: "node-a")
        let page = scrape(metrics, F.device(peers: [
            F.peer(2, endpoint: "192.0.2.2:51820", rx: 1536, tx: 2048, handshake: 1_700_000_123),
            F.peer(3, endpoint: "[2001:db8::3]:51821", rx: 0, tx: 148, handshake: nil),
        ]))
        let meta = "wireguard_meta{hostname=\"node-a\",iface=\"wgmesh0\",listen_port=\"51820\",public_key=\"\(F.key(1))\"}"
        #expect(page.samples[meta] == 1)
        let two = F.peerLabels(2, endpoint: "192.0.2.2:51820")
        #expect(page.samples["wireguard_bytes_rcvd" + two] == 1536)
        #expect(page.samples["wireguard_bytes_sent" + two] == 2048)
        #expect(page.samples["wireguard_latest_handshake_seconds" + two] == 1_700_000_123)
        let three = F.peerLabels(3, endpoint: "[2001:db8::3]:51821")
        #expect(page.samples["wireguard_bytes_sent" + three] == 148)
        #expect(page.samples["wireguard_latest_handshake_seconds" + three] == 0, "never is 0, not a date in year 1")
        #expect(page.types["wireguard_bytes_rcvd"] == "counter")
        #expect(page.types["wireguard_bytes_sent"] == "counter")
        #expect(page.types["wireguard_latest_handshake_seconds"] == "gauge")
        #expect(page.types["wireguard_meta"] == "gauge")
        #expect(page.text.contains("# HELP wireguard_bytes_rcvd wireguard interface incoming bytes count from peer"))
    }

    @Test("a peer that leaves the device leaves the page; one that stays keeps counting")
    func peersComeAndGo() {
        let metrics = AgentMetrics(nodeName: "node-a")
        _ = scrape(metrics, F.device(peers: [
            F.peer(2, endpoint: "192.0.2.2:51820", rx: 100, tx: 100, handshake: 5),
            F.peer(3, endpoint: "192.0.2.3:51820", rx: 100, tx: 100, handshake: 5),
        ]))
        let page = scrape(metrics, F.device(peers: [F.peer(2, endpoint: "192.0.2.2:51820", rx: 250, tx: 900, handshake: 9)]))
        let two = F.peerLabels(2, endpoint: "192.0.2.2:51820")
        #expect(page.samples["wireguard_bytes_rcvd" + two] == 250)
        #expect(page.samples["wireguard_bytes_sent" + two] == 900)
        #expect(page.samples["wireguard_latest_handshake_seconds" + two] == 9)
        #expect(!page.text.contains(F.key(3).description))
    }

    @Test("a new endpoint is a new series, and a re-created peer starts its counters again")
    func endpointChangeAndReset() {
        let metrics = AgentMetrics(nodeName: "node-a")
        _ = scrape(metrics, F.device(peers: [F.peer(2, endpoint: "192.0.2.2:51820", rx: 500, tx: 500, handshake: 5)]))
        var page = scrape(metrics, F.device(peers: [F.peer(2, endpoint: "192.0.2.9:51820", rx: 600, tx: 700, handshake: 5)]))
        #expect(page.samples["wireguard_bytes_rcvd" + F.peerLabels(2, endpoint: "192.0.2.2:51820")] == nil)
        #expect(page.samples["wireguard_bytes_rcvd" + F.peerLabels(2, endpoint: "192.0.2.9:51820")] == 600)
        page = scrape(metrics, F.device(peers: [F.peer(2, endpoint: "192.0.2.9:51820", rx: 40, tx: 800, handshake: 5)]))
        #expect(page.samples["wireguard_bytes_rcvd" + F.peerLabels(2, endpoint: "192.0.2.9:51820")] == 40)
        #expect(page.samples["wireguard_bytes_sent" + F.peerLabels(2, endpoint: "192.0.2.9:51820")] == 800)
    }

    @Test("a rotated key replaces the meta series; an unreadable device drops every WireGuard series")
    func rotationAndUnreadable() {
        let metrics = AgentMetrics(nodeName: "node-a")
        _ = scrape(metrics, F.device(peers: [F.peer(2, endpoint: "192.0.2.2:51820", rx: 1, tx: 1, handshake: 1)]))
        var rotated = F.device(peers: [])
        rotated.publicKey = F.key(7)
        var page = scrape(metrics, rotated)
        #expect(page.samples.keys.filter { $0.hasPrefix("wireguard_meta") }.count == 1)
        #expect(page.samples.keys.contains { $0.hasPrefix("wireguard_meta") && $0.contains(F.key(7).description) })
        page = scrape(metrics, nil)
        #expect(!page.names.contains { $0.hasPrefix("wireguard_") })
        #expect(page.samples["wgmesh_up"] == 1)
        #expect(page.samples["wgmesh_build_info{version=\"\(WGMeshVersion.current)\"}"] == 1)
    }

    @Test("two nodes in one process keep separate registries")
    func separateRegistries() {
        let first = AgentMetrics(nodeName: "node-a")
        let second = AgentMetrics(nodeName: "node-b")
        _ = scrape(first, F.device(peers: [F.peer(2, endpoint: "192.0.2.2:51820", rx: 1, tx: 1, handshake: 1)]))
        let page = scrape(second, nil)
        #expect(!page.text.contains("node-a"))
    }
}
