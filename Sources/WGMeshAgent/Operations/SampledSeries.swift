import Prometheus

/// The series whose values come from somewhere else at scrape time: the
/// WireGuard device, the peer states and the key's rotation counts.
struct SampledSeries {
    /// Calico's four WireGuard series.
    var wireguard = WireGuardSeries()
    private var peers: [PeerState: Gauge] = [:]
    private var rotationsSeen = (ok: 0, failed: 0)

    /// Sets `wgmesh_peers{state}`: one series per state, zeros included, so
    /// an alert on `wgmesh_peers{state="stale"} > 0` sees the series exist.
    mutating func updatePeers(_ states: [PeerState]?, registry: PrometheusCollectorRegistry) {
        guard let states else {
            for gauge in peers.values { registry.unregisterGauge(gauge) }
            peers = [:]
            return
        }
        for state in PeerState.allCases {
            let gauge = peers[state] ?? registry.makeGauge(
                descriptor: AgentMetrics.name("wgmesh_peers", "This node's peers by health state."),
                labels: [("state", state.rawValue)])
            peers[state] = gauge
            gauge.set(to: Double(states.count { $0 == state }))
        }
    }

    /// Moves `wgmesh_key_rotations_total{result}` on by what ``KeyState``
    /// counted since the last scrape (counters only go up).
    mutating func updateRotations(_ keys: KeyFacts, registry: PrometheusCollectorRegistry) {
        let descriptor = AgentMetrics.name("wgmesh_key_rotations_total", "Key rotations since start, by result.")
        let ok = registry.makeCounter(descriptor: descriptor, labels: [("result", "ok")])
        let failed = registry.makeCounter(descriptor: descriptor, labels: [("result", "failed")])
        ok.increment(by: Int64(max(0, keys.rotations - rotationsSeen.ok)))
        failed.increment(by: Int64(max(0, keys.failedRotations - rotationsSeen.failed)))
        rotationsSeen = (max(rotationsSeen.ok, keys.rotations), max(rotationsSeen.failed, keys.failedRotations))
    }
}
