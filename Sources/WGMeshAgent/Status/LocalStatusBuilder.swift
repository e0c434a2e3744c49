import WGMeshCore

/// Builds a ``LocalStatus`` from the plan applied last and the device as
/// read now. Pure, so the reporter's rules are tested without a kernel.
struct LocalStatusBuilder {
    /// The node's name.
    var nodeName: String
    /// `kernel` or `userspace`.
    var backend: String
    /// The interface MTU.
    var mtu: Int

    /// One transmit count and when it was taken, per peer key: what
    /// "traffic was sent since the last check" is measured against.
    struct Sample: Equatable, Sendable {
        /// Bytes sent to the peer.
        var sent: UInt64
        /// When, in seconds since the Unix epoch.
        var at: Int64
    }

    /// A sample is kept as the baseline until it is this old, so that two
    /// `wgmesh status` calls a second apart still compare against a window
    /// long enough to see keepalives or handshake retries go out.
    static let baselineSeconds: Int64 = 10

    /// The status, and the samples to keep for the next report.
    func build(plan: MeshPlan, device: WireGuardDevice, samples: [WireGuardKey: Sample], now: Int64)
        -> (status: LocalStatus, samples: [WireGuardKey: Sample])
    {
        let actual = Dictionary(device.peers.map { ($0.publicKey, $0) }) { first, _ in first }
        let wanted = Dictionary(plan.device.peers.map { ($0.publicKey, $0) }) { first, _ in first }
        var reports: [PeerReport] = []
        var kept: [WireGuardKey: Sample] = [:]
        for key in Set(actual.keys).union(wanted.keys) {
            let input = PeerClassifier.Input(
                interfaceName: device.name, nodeName: plan.peerNodes[key], wanted: wanted[key], actual: actual[key],
                previousSent: samples[key]?.sent, now: now)
            reports.append(PeerClassifier.report(input))
            if let peer = actual[key] {
                let previous = samples[key]
                let renew = previous.map { now - $0.at >= Self.baselineSeconds || peer.txBytes < $0.sent } ?? true
                kept[key] = renew ? Sample(sent: peer.txBytes, at: now) : previous
            }
        }
        reports.sort(by: Self.order)
        let status = LocalStatus(
            nodeName: nodeName, interfaceName: device.name, publicKey: device.publicKey, listenPort: device.listenPort,
            fwmark: device.fwmark, backend: backend, mtu: mtu, observedAt: now, peers: reports)
        return (status, kept)
    }

    /// By node name (peers no node owns last), then by key.
    static func order(_ lhs: PeerReport, _ rhs: PeerReport) -> Bool {
        switch (lhs.nodeName, rhs.nodeName) {
        case let (left?, right?) where left != right: return left < right
        case (.some, nil): return true
        case (nil, .some): return false
        default: return lhs.publicKey.base64 < rhs.publicKey.base64
        }
    }
}
