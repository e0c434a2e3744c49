internal import WGMeshAgent

/// `wgmesh status`'s table: the interface block, one row per peer
/// (unhealthy first, then by node), and the reason of each unhealthy peer.
enum LocalStatusTable {
    /// Column titles, in order.
    static let headers = ["NODE", "ENDPOINT", "ALLOWED IPS", "HANDSHAKE", "RX", "TX", "STATE"]

    /// The whole text, ending in a newline.
    static func render(_ status: LocalStatus) -> String {
        var text = """
            interface:   \(status.interfaceName)
            node:        \(status.nodeName)
            public key:  \(status.publicKey?.base64 ?? "(none)")
            listen port: \(status.listenPort)
            backend:     \(status.backend)
            mtu:         \(status.mtu)
            peers:       \(summary(status.peers))

            """
        let peers = sorted(status.peers)
        guard !peers.isEmpty else { return text + "no peers: this node is alone in the mesh, or excluded from it\n" }
        text += "\n" + aligned([headers] + peers.map { row($0, now: status.observedAt) })
        let unhealthy = peers.filter { !$0.state.isHealthy }
        if !unhealthy.isEmpty {
            text += "\n" + unhealthy.map { "\(name($0)): \($0.state.rawValue): \($0.reason)\n" }.joined()
        }
        return text
    }

    /// Unhealthy peers first (worst state first), then by node name and key.
    static func sorted(_ peers: [PeerReport]) -> [PeerReport] {
        peers.sorted { lhs, rhs in
            if lhs.state.isHealthy != rhs.state.isHealthy { return !lhs.state.isHealthy }
            if !lhs.state.isHealthy, lhs.state != rhs.state { return lhs.state > rhs.state }
            if name(lhs) != name(rhs) { return name(lhs) < name(rhs) }
            return lhs.publicKey.base64 < rhs.publicKey.base64
        }
    }

    /// The cells of one peer's row.
    /// A missing peer has no counters or handshake to show: `-`, not a misleading `never` and `0 B`.
    static func row(_ peer: PeerReport, now: Int64) -> [String] {
        let onDevice = peer.state != .missing
        return [name(peer), peer.endpoint ?? "(none)", allowedIPs(peer),
                onDevice ? handshake(peer.latestHandshake, now: now) : "-",
                onDevice ? HumanUnits.bytes(peer.receivedBytes) : "-",
                onDevice ? HumanUnits.bytes(peer.sentBytes) : "-", peer.state.rawValue]
    }

    /// The node's name, or the key's first characters for a peer no node owns.
    static func name(_ peer: PeerReport) -> String {
        peer.nodeName ?? "(key \(peer.publicKey.base64.prefix(8))...)"
    }

    /// The first allowed IP and how many more: `10.244.1.0/24 +2`.
    static func allowedIPs(_ peer: PeerReport) -> String {
        guard let first = peer.allowedIPs.first else { return "(none)" }
        return peer.allowedIPs.count == 1 ? first.description : "\(first) +\(peer.allowedIPs.count - 1)"
    }

    /// `12s ago`, `4m12s ago` or `never`.
    static func handshake(_ time: Int64?, now: Int64) -> String {
        guard let time, time > 0 else { return "never" }
        return HumanUnits.age(seconds: now - time) + " ago"
    }

    /// `3 (2 ok, 1 never)`: the count by state, in severity order.
    static func summary(_ peers: [PeerReport]) -> String {
        let counts = PeerState.allCases.compactMap { state -> String? in
            let count = peers.filter { $0.state == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        return counts.isEmpty ? "0" : "\(peers.count) (\(counts.joined(separator: ", ")))"
    }

    /// Columns padded to their widest cell, three spaces apart, like `wgmesh get`.
    static func aligned(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: headers.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 3)
            }.joined() + "\n"
        }.joined()
    }
}
