import Prometheus
import WGMeshCore

/// Calico Felix's WireGuard series, with its names, help texts and labels,
/// so that dashboards made for Calico work on wgmesh unchanged:
///
/// - `wireguard_meta{hostname,iface,listen_port,public_key}` 1
/// - `wireguard_bytes_rcvd{hostname,peer_endpoint,peer_key,public_key}` (counter)
/// - `wireguard_bytes_sent{...}` (counter)
/// - `wireguard_latest_handshake_seconds{...}` (gauge, Unix seconds; 0 for never)
///
/// Felix has no `firewall_mark` label, so neither do we. Series of peers
/// that left the device are unregistered, so they drop out of the text.
struct WireGuardSeries {
    private struct PeerSeries {
        var labels: [(String, String)]
        var received: Counter
        var sent: Counter
        var handshake: Gauge
        var receivedSeen: UInt64 = 0
        var sentSeen: UInt64 = 0
    }

    private var meta: Gauge?
    private var metaLabels: [(String, String)] = []
    private var peers: [WireGuardKey: PeerSeries] = [:]

    static var metaName: MetricNameDescriptor {
        AgentMetrics.name("wireguard_meta", "wireguard interface and runtime metadata")
    }
    static var receivedName: MetricNameDescriptor {
        AgentMetrics.name("wireguard_bytes_rcvd", "wireguard interface incoming bytes count from peer")
    }
    static var sentName: MetricNameDescriptor {
        AgentMetrics.name("wireguard_bytes_sent", "wireguard interface outgoing bytes count to peer")
    }
    static var handshakeName: MetricNameDescriptor {
        AgentMetrics.name(
            "wireguard_latest_handshake_seconds",
            "wireguard interface latest handshake unix timestamp in seconds to a peer")
    }

    /// Makes the series match `device`; nil removes them all.
    mutating func update(_ device: WireGuardDevice?, hostname: String, registry: PrometheusCollectorRegistry) {
        guard let device else {
            removeAll(registry)
            return
        }
        let publicKey = device.publicKey?.description ?? ""
        let labels = [("hostname", hostname), ("iface", device.name), ("listen_port", "\(device.listenPort)"),
                      ("public_key", publicKey)]
        if meta == nil || !Self.same(labels, metaLabels) {
            if let meta { registry.unregisterGauge(meta) }
            meta = registry.makeGauge(descriptor: Self.metaName, labels: labels)
            meta?.set(to: 1)
            metaLabels = labels
        }
        var present = Set<WireGuardKey>()
        for peer in device.peers {
            present.insert(peer.publicKey)
            let labels = [("hostname", hostname), ("peer_endpoint", peer.endpoint?.description ?? ""),
                          ("peer_key", peer.publicKey.description), ("public_key", publicKey)]
            var series = peers[peer.publicKey]
            // A new endpoint or key is a new series; a counter that went
            // down means the peer was re-created, which Prometheus reads as a reset.
            if let old = series, !Self.same(old.labels, labels) || peer.rxBytes < old.receivedSeen
                || peer.txBytes < old.sentSeen
            {
                Self.unregister(old, registry)
                series = nil
            }
            var current = series ?? PeerSeries(
                labels: labels, received: registry.makeCounter(descriptor: Self.receivedName, labels: labels),
                sent: registry.makeCounter(descriptor: Self.sentName, labels: labels),
                handshake: registry.makeGauge(descriptor: Self.handshakeName, labels: labels))
            current.received.increment(by: Int64(clamping: peer.rxBytes - current.receivedSeen))
            current.sent.increment(by: Int64(clamping: peer.txBytes - current.sentSeen))
            current.receivedSeen = peer.rxBytes
            current.sentSeen = peer.txBytes
            current.handshake.set(to: Double(peer.lastHandshake?.seconds ?? 0))
            peers[peer.publicKey] = current
        }
        for (key, series) in peers where !present.contains(key) {
            Self.unregister(series, registry)
            peers[key] = nil
        }
    }

    private mutating func removeAll(_ registry: PrometheusCollectorRegistry) {
        if let meta { registry.unregisterGauge(meta) }
        meta = nil
        metaLabels = []
        for series in peers.values { Self.unregister(series, registry) }
        peers = [:]
    }

    private static func unregister(_ series: PeerSeries, _ registry: PrometheusCollectorRegistry) {
        registry.unregisterCounter(series.received)
        registry.unregisterCounter(series.sent)
        registry.unregisterGauge(series.handshake)
    }

    private static func same(_ lhs: [(String, String)], _ rhs: [(String, String)]) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
