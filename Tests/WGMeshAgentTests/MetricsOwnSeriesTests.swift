import Testing
@testable import WGMeshAgent
import WGMeshCore

/// wgmesh's own series: applies, their duration and errors, watch lag,
/// peers by state, key age and rotations.
@Suite("Metrics: wgmesh series")
struct MetricsOwnSeriesTests {
    func outcome(_ reason: String, _ duration: Duration, error: String? = nil, lag: Duration? = nil)
        -> ReconcileOutcome
    {
        ReconcileOutcome(reason: reason, duration: duration, summary: error == nil ? ApplySummary() : nil,
                         error: error, plan: MeshPlan(device: DesiredDevice(), mtu: 1420), watchLag: lag)
    }

    func page(_ metrics: AgentMetrics, states: [PeerState]? = nil, keys: KeyFacts? = nil) -> ScrapedPage {
        ScrapedPage(metrics.scrape(device: nil, peerStates: states, keys: keys, now: 1_000))
    }

    @Test("applies are counted by reason, errors apart")
    func reconcileCounts() {
        let metrics = AgentMetrics(nodeName: "n")
        metrics.record(outcome("load", .milliseconds(3)))
        metrics.record(outcome("change", .milliseconds(3)))
        metrics.record(outcome("change", .milliseconds(3), error: "netlink: EPERM"))
        let page = page(metrics)
        #expect(page.samples["wgmesh_reconcile_total{reason=\"load\"}"] == 1)
        #expect(page.samples["wgmesh_reconcile_total{reason=\"change\"}"] == 2)
        #expect(page.samples["wgmesh_reconcile_total{reason=\"resync\"}"] == 0, "every reason exists from the start")
        #expect(page.samples["wgmesh_reconcile_errors_total"] == 1)
        #expect(page.types["wgmesh_reconcile_total"] == "counter")
    }

    @Test("durations fall in cumulative buckets, with sum and count")
    func durationBuckets() {
        let metrics = AgentMetrics(nodeName: "n")
        metrics.record(outcome("resync", .milliseconds(3)))
        metrics.record(outcome("resync", .milliseconds(40)))
        metrics.record(outcome("resync", .seconds(20)))
        let page = page(metrics)
        let name = "wgmesh_reconcile_duration_seconds"
        #expect(page.types[name] == "histogram")
        #expect(page.samples[name + "_bucket{le=\"0.001\"}"] == 0)
        #expect(page.samples[name + "_bucket{le=\"0.005\"}"] == 1)
        #expect(page.samples[name + "_bucket{le=\"0.05\"}"] == 2)
        #expect(page.samples[name + "_bucket{le=\"10\"}"] == 2 || page.samples[name + "_bucket{le=\"10.0\"}"] == 2)
        #expect(page.samples[name + "_bucket{le=\"+Inf\"}"] == 3)
        #expect(page.samples[name + "_count"] == 3)
        #expect(abs((page.samples[name + "_sum"] ?? 0) - 20.043) < 0.0001)
    }

    @Test("watch lag is recorded only for applies that carry one")
    func watchLag() {
        let metrics = AgentMetrics(nodeName: "n")
        metrics.record(outcome("change", .milliseconds(2), lag: .milliseconds(30)))
        metrics.record(outcome("resync", .milliseconds(2)))
        let page = page(metrics)
        #expect(page.samples["wgmesh_datastore_watch_lag_seconds_count"] == 1)
        #expect(page.samples["wgmesh_datastore_watch_lag_seconds_bucket{le=\"0.025\"}"] == 0)
        #expect(page.samples["wgmesh_datastore_watch_lag_seconds_bucket{le=\"0.05\"}"] == 1)
    }

    @Test("peers by state: every state has a series, zeros included; no status leaves them out")
    func peersByState() {
        let metrics = AgentMetrics(nodeName: "n")
        var page = page(metrics, states: [.ok, .ok, .stale, .missing])
        #expect(page.samples["wgmesh_peers{state=\"ok\"}"] == 2)
        #expect(page.samples["wgmesh_peers{state=\"stale\"}"] == 1)
        #expect(page.samples["wgmesh_peers{state=\"missing\"}"] == 1)
        #expect(page.samples["wgmesh_peers{state=\"never\"}"] == 0)
        #expect(page.samples.keys.count { $0.hasPrefix("wgmesh_peers{") } == PeerState.allCases.count)
        page = self.page(metrics, states: nil)
        #expect(!page.names.contains("wgmesh_peers"))
    }

    @Test("key age and rotations by result; rotations only go up")
    func keys() {
        let metrics = AgentMetrics(nodeName: "n")
        var page = page(metrics, keys: KeyFacts(createdAt: 400, rotations: 0, failedRotations: 0))
        #expect(page.samples["wgmesh_key_age_seconds"] == 600)
        #expect(page.samples["wgmesh_key_rotations_total{result=\"ok\"}"] == 0)
        page = self.page(metrics, keys: KeyFacts(createdAt: 900, rotations: 2, failedRotations: 1))
        #expect(page.samples["wgmesh_key_age_seconds"] == 100)
        #expect(page.samples["wgmesh_key_rotations_total{result=\"ok\"}"] == 2)
        #expect(page.samples["wgmesh_key_rotations_total{result=\"failed\"}"] == 1)
        page = self.page(metrics, keys: KeyFacts(createdAt: 900, rotations: 3, failedRotations: 1))
        #expect(page.samples["wgmesh_key_rotations_total{result=\"ok\"}"] == 3)
        #expect(page.types["wgmesh_key_rotations_total"] == "counter")
    }
}
