import WGMeshResources

extension ClusterHealth {
    /// Every problem, one line each, in a stable order: silent nodes,
    /// isolated nodes, then unhealthy cells row by row, then disagreements,
    /// then unknown peers.
    func explain(statuses: [Node]) -> [ClusterProblem] {
        var problems = nodes.compactMap(nodeProblem)
        problems += nodes.indices.compactMap(isolation)
        for cell in cells where !cell.health.isHealthy && cell.health != .down {
            problems.append(pairProblem(cell))
        }
        for row in nodes.indices {
            for column in nodes.indices where row < column {
                if let problem = asymmetry(row, column) { problems.append(problem) }
            }
        }
        let names = Set(nodes.map(\.name))
        for (row, node) in statuses.enumerated() where self.nodes[row].reporting.isReporting {
            for entry in node.status?.peers ?? [] where !names.contains(entry.node) {
                problems.append(unknownPeer(entry, observer: node.metadata.name))
            }
        }
        return problems
    }

    /// Why `node` is silent, with where to look; nil when it reports.
    func nodeProblem(_ node: ClusterNode) -> ClusterProblem? {
        let name = node.name
        let message: String
        switch node.reporting {
        case .reporting:
            return nil
        case .absent:
            message = "\(name): wgmeshd has never reported (no status, no liveness): "
                + "start it with `systemctl start wgmeshd` on \(name)"
        case .noLiveness:
            message = "\(name): wgmeshd not reporting (last status \(HumanUnits.age(seconds: node.statusAge ?? 0)) ago, "
                + "no liveness): check `systemctl status wgmeshd` on \(name)"
        case .noStatus:
            message = "\(name): wgmeshd is alive but has published no status yet: wait one status interval, "
                + "or upgrade wgmeshd on \(name)"
        case .oldStatus:
            message = "\(name): wgmeshd is alive but its last status is \(HumanUnits.age(seconds: node.statusAge ?? 0)) old: "
                + "check `journalctl -u wgmeshd` on \(name) for datastore errors"
        }
        return ClusterProblem(kind: .node, nodes: [name], health: .down, message: message)
    }

    /// The likely root cause when one node's every pair fails but other
    /// pairs work: its own firewall or address, not each peer's. Needs at
    /// least two peers, each failing from the node's side (never or stale)
    /// and not working from the peer's side either.
    func isolation(_ index: Int) -> ClusterProblem? {
        let count = nodes.count
        guard nodes[index].reporting.isReporting else { return nil }
        let failing: Set<PairHealth> = [.never, .stale]
        var peers: [String] = []
        for other in nodes.indices where other != index {
            let mine = cells[index * count + other].health, theirs = cells[other * count + index].health
            if mine == .excluded { continue }
            guard failing.contains(mine), failing.contains(theirs) || theirs == .down || theirs == .excluded else {
                return nil
            }
            peers.append(nodes[other].name)
        }
        let othersWork = cells.contains {
            $0.health == .ok && $0.observer != nodes[index].name && $0.peer != nodes[index].name
        }
        guard peers.count >= 2, othersWork else { return nil }
        let node = nodes[index]
        let target = node.endpoint.map { " (\($0))" } ?? ""
        let message = "\(node.name): no handshake with any of its \(peers.count) peers while other pairs work: "
            + "check that inbound UDP \(node.listenPort) reaches \(node.name)\(target) (firewall, security group)"
        return ClusterProblem(kind: .isolated, nodes: [node.name], health: .never, message: message)
    }

    /// What an unhealthy cell means and what to check.
    func pairProblem(_ cell: PairCell) -> ClusterProblem {
        let (from, to) = (cell.observer, cell.peer)
        let report = cell.report
        let sent = HumanUnits.bytes(report?.sentBytes ?? 0)
        let prefix = "\(from) -> \(to): \(cell.health.rawValue): "
        let detail: String
        switch cell.health {
        case .never:
            detail = "\(from) sent \(sent) but got no handshake; \(udpCheck(from: from, to: to, report: report))"
        case .stale:
            let age = report?.latestHandshake.map { HumanUnits.age(seconds: observedAt - $0) + " ago" } ?? "long ago"
            detail = "last handshake \(age) although \(from) keeps sending (\(sent) sent); "
                + "\(udpCheck(from: from, to: to, report: report)), and that wgmeshd runs on \(to)"
        case .missing:
            detail = "\(to) is in the datastore but not on \(from)'s interface; "
                + "check `journalctl -u wgmeshd` on \(from) for failed reconciles"
        case .unexpected:
            let key = report?.publicKey.map { " (key \($0))" } ?? ""
            detail = "\(from)'s interface holds a peer for \(to)\(key) that the datastore does not want "
                + "(an old key?); wgmeshd removes it on its next reconcile: if it stays, "
                + "check `journalctl -u wgmeshd` on \(from)"
        default:
            detail = "\(from) reported \"\(report?.state ?? "")\", a state this wgmesh does not know: "
                + "upgrade wgmesh here to read it"
        }
        return ClusterProblem(kind: .pair, nodes: [from, to], health: cell.health, message: prefix + detail)
    }

    /// "check UDP 51820 from 10.99.0.1 to 10.99.0.3": the path the handshake takes.
    func udpCheck(from: String, to: String, report: PeerStatus?) -> String {
        let observer = index(of: from).map { nodes[$0] }
        let peer = index(of: to).map { nodes[$0] }
        let target = report?.endpoint.map { ClusterText.host(ofEndpoint: $0) }
            ?? peer?.underlayAddresses.first.map { "\($0)" } ?? to
        let source = observer?.underlayAddresses.first.map { "\($0)" } ?? from
        return "check UDP \(peer?.listenPort ?? 51820) from \(source) to \(target)"
    }

    /// A line when two reporting nodes see their pair differently.
    func asymmetry(_ row: Int, _ column: Int) -> ClusterProblem? {
        guard nodes[row].reporting.isReporting, nodes[column].reporting.isReporting else { return nil }
        let forward = cells[row * nodes.count + column], backward = cells[column * nodes.count + row]
        let peeredDiffers = (forward.health == .excluded) != (backward.health == .excluded)
        guard peeredDiffers || forward.health.isHealthy != backward.health.isHealthy else { return nil }
        let (a, b) = (forward.observer, forward.peer)
        var message = "\(a) sees \(b) \(forward.health.rawValue), \(b) sees \(a) \(backward.health.rawValue)"
        if peeredDiffers {
            message += ": the two plans disagree; check that both nodes see the same Nodes and EncryptionConfig "
                + "(`wgmesh get nodes -o yaml`, `wgmesh get encryptionconfig -o yaml`)"
        }
        let worst = max(forward.health, backward.health)
        return ClusterProblem(kind: .asymmetric, nodes: [a, b], health: worst, message: message)
    }

    /// A peer on `observer`'s interface that belongs to no node.
    func unknownPeer(_ entry: PeerStatus, observer: String) -> ClusterProblem {
        let who = entry.publicKey.map { "key \($0)" } ?? (entry.node.isEmpty ? "a peer" : "\"\(entry.node)\"")
        let message = "\(observer): \(who) is on its interface (\(entry.state)) but belongs to no node: "
            + "wgmeshd removes peers it does not want; if it stays, check `journalctl -u wgmeshd` on \(observer)"
        return ClusterProblem(kind: .unknownPeer, nodes: [observer], health: PairHealth(reported: entry.state),
                              message: message)
    }
}
