import Prometheus
import Synchronization
import WGMeshCore

/// The Prometheus registry and wgmesh's own series.
///
/// Each instance owns its registry and makes its series from it directly,
/// instead of bootstrapping swift-metrics' global `MetricsSystem` with a
/// ``PrometheusMetricsFactory``: the bootstrap may run once per process,
/// while tests start many daemons in one process and each must scrape only
/// its own numbers. Nothing in wgmesh records through the swift-metrics API
/// today; a library that does can be pointed at this registry later with
/// `PrometheusMetricsFactory(registry: metrics.registry)`.
final class AgentMetrics: Sendable {
    /// Where every series lives; `/metrics` is its text.
    let registry = PrometheusCollectorRegistry()
    /// The `hostname` label of the Calico-compatible series.
    let nodeName: String

    private let reconcileErrors: Counter
    private let reconcileDuration: DurationHistogram
    private let watchLag: DurationHistogram
    private let keyAge: Gauge
    /// Series whose values are read at scrape time; one scrape at a time.
    private let sampled: Mutex<SampledSeries>

    /// Buckets for an apply: a netlink round trip is a millisecond, a full
    /// mesh of a few hundred peers a second or more.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]
    /// Buckets for the watch lag: the debounce is tens of milliseconds, a
    /// busy etcd adds seconds.
    static let lagBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30),
    ]

    /// Creates the registry and the series that exist from the start.
    init(nodeName: String) {
        self.nodeName = nodeName
        reconcileErrors = registry.makeCounter(
            descriptor: Self.name("wgmesh_reconcile_errors_total", "Applies of the mesh plan that failed."))
        reconcileDuration = registry.makeDurationHistogram(
            descriptor: Self.name("wgmesh_reconcile_duration_seconds", "How long one apply of the mesh plan took."),
            buckets: Self.durationBuckets)
        watchLag = registry.makeDurationHistogram(
            descriptor: Self.name(
                "wgmesh_datastore_watch_lag_seconds",
                "From the arrival of a datastore watch event to the end of the apply it caused."),
            buckets: Self.lagBuckets)
        keyAge = registry.makeGauge(descriptor: Self.name("wgmesh_key_age_seconds", "Age of the node's WireGuard key."))
        registry.makeGauge(descriptor: Self.name("wgmesh_up", "1 while the wgmesh daemon runs.")).set(to: 1)
        registry.makeGauge(
            descriptor: Self.name("wgmesh_build_info", "Always 1; the version label says which wgmeshd release runs."),
            labels: [("version", WGMeshVersion.current)]).set(to: 1)
        sampled = Mutex(SampledSeries())
        // Every reason from the start at 0, so rate() and absent() work before the first of each.
        for reason in ["load", "change", "resync", "retry"] { _ = reconcileCounter(reason) }
    }

    /// Counts one apply.
    func record(_ outcome: ReconcileOutcome) {
        reconcileCounter(outcome.reason).increment()
        if !outcome.succeeded { reconcileErrors.increment() }
        reconcileDuration.record(outcome.duration)
        if let lag = outcome.watchLag { watchLag.record(lag) }
    }

    /// Refreshes the series read at scrape time and returns the whole text.
    ///
    /// `device` nil (the interface could not be read) drops the WireGuard
    /// series rather than showing stale numbers; `peerStates` nil (no
    /// status yet) leaves `wgmesh_peers` out.
    func scrape(device: WireGuardDevice?, peerStates: [PeerState]?, keys: KeyFacts?, now: Int64) -> [UInt8] {
        sampled.withLock { series in
            series.wireguard.update(device, hostname: nodeName, registry: registry)
            series.updatePeers(peerStates, registry: registry)
            if let keys {
                keyAge.set(to: Double(max(0, now - keys.createdAt)))
                series.updateRotations(keys, registry: registry)
            }
            return registry.emitToBuffer()
        }
    }

    /// `wgmesh_reconcile_total` for one reason (``ReconcileOutcome/reason``).
    private func reconcileCounter(_ reason: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("wgmesh_reconcile_total", "Applies of the mesh plan, by why they ran."),
            labels: [("reason", reason)])
    }

    /// A descriptor with `name` used as is.
    static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}

/// What the key series need from ``KeyState``, read once per scrape.
struct KeyFacts: Sendable, Equatable {
    /// When the current key was made, Unix seconds.
    var createdAt: Int64
    /// Rotations completed since start.
    var rotations: Int
    /// Rotations that failed since start.
    var failedRotations: Int

    /// Reads `keys` now.
    init(_ keys: KeyState) {
        self.init(createdAt: keys.createdAt, rotations: keys.rotations, failedRotations: keys.failedRotations)
    }

    /// Creates facts.
    init(createdAt: Int64, rotations: Int, failedRotations: Int) {
        self.createdAt = createdAt
        self.rotations = rotations
        self.failedRotations = failedRotations
    }
}
