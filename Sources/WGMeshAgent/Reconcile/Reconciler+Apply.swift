import Logging
import WGMeshCore
import WGMeshDatastore

/// Why an apply runs, which decides how it verifies and what it logs.
enum ApplyReason: String, Sendable {
    /// After a (re)load: reads the kernel back.
    case load
    /// After a watch batch: diffs against the last apply.
    case change
    /// The periodic drift check: reads the kernel back.
    case resync
    /// After a failed apply: reads the kernel back.
    case retry
}

extension Reconciler {
    /// Plans for the current state and logs conflicts that appeared or cleared.
    func replan() {
        let plan = planner(state.snapshot, local)
        logConflicts(plan.conflicts)
        desiredPlan = plan
    }

    /// Applies ``desiredPlan``; a failure schedules a retry that reads the kernel back.
    /// `since` is when the oldest watch event behind this apply arrived.
    func reconcile(verify: Bool, reason: ApplyReason, since: ContinuousClock.Instant? = nil) {
        guard let plan = desiredPlan else { return }
        // Any read-back counts as the drift check.
        if verify { nextResync = .now + resyncInterval }
        let started = ContinuousClock.now
        let summary: ApplySummary
        applyClock.begin()
        defer { applyClock.end() }
        do {
            summary = try dataplane.apply(plan, verify: verify)
        } catch {
            let delay = applyRetry.failed()
            logger.error("applying the plan failed: \(error); retrying in \(describe(delay)), reading the kernel back")
            observe?(ReconcileOutcome(reason: reason.rawValue, duration: .now - started, summary: nil,
                                      error: "\(error)", plan: plan, watchLag: since.map { .now - $0 }))
            return
        }
        observe?(ReconcileOutcome(reason: reason.rawValue, duration: .now - started, summary: summary, error: nil,
                                  plan: plan, watchLag: since.map { .now - $0 }))
        let previous = lastPlan
        lastPlan = plan
        applyRetry.succeeded()
        kickReplacedPeers(from: previous, to: plan)
        logPeerChanges(from: previous, to: plan)
        report(summary, reason: reason, plan: plan)
        onApply?(plan)
    }

    /// Logs what an apply changed, at a level that fits why it ran.
    private func report(_ summary: ApplySummary, reason: ApplyReason, plan: MeshPlan) {
        let metadata: Logger.Metadata = ["datastore.revision": "\(state.revision)"]
        switch reason {
        case .load:
            let changed = summary.isEmpty ? "nothing changed" : "changed \(Self.changes(summary))"
            let counts = "\(plan.device.peers.count) peers, \(plan.routes.count) routes"
            logger.info("dataplane in step with the datastore: \(counts); \(changed)", metadata: metadata)
        case .change:
            logger.debug("applied a change: \(Self.changes(summary))", metadata: metadata)
        case .resync:
            guard !summary.isEmpty else {
                logger.debug("drift check: nothing to repair")
                return
            }
            logger.info("repaired drift: \(Self.drift(summary))", metadata: metadata)
        case .retry:
            logger.info("applied the plan after a failed attempt: \(Self.changes(summary))", metadata: metadata)
        }
    }

    /// Logs each peer added or removed, by node name and public key.
    private func logPeerChanges(from previous: MeshPlan?, to plan: MeshPlan) {
        let before = previous?.peerNodes ?? [:]
        for (key, node) in plan.peerNodes.sorted(by: { $0.value < $1.value }) where before[key] == nil {
            logger.info("peer added: node \(node)", metadata: ["peer.node": "\(node)", "peer.key": "\(key)"])
        }
        for (key, node) in before.sorted(by: { $0.value < $1.value }) where plan.peerNodes[key] == nil {
            logger.info("peer removed: node \(node)", metadata: ["peer.node": "\(node)", "peer.key": "\(key)"])
        }
    }

    /// Logs each conflict once when it appears and once when it clears.
    private func logConflicts(_ conflicts: [ClusterConflict]) {
        let current = Set(conflicts)
        for conflict in current.subtracting(loggedConflicts).sorted(by: { $0.description < $1.description }) {
            logger.warning("conflict: \(conflict)", metadata: ["conflict.nodes": "\(conflict.nodes)"])
        }
        for conflict in loggedConflicts.subtracting(current).sorted(by: { $0.description < $1.description }) {
            logger.info("conflict cleared: \(conflict)", metadata: ["conflict.nodes": "\(conflict.nodes)"])
        }
        loggedConflicts = current
    }

    /// "1 peer, 2 routes": what a drift repair touched.
    static func drift(_ summary: ApplySummary) -> String {
        let peers = summary.peersAdded + summary.peersChanged + summary.peersRemoved
        let routes = summary.routesAdded + summary.routesRemoved
        var parts: [String] = []
        if peers > 0 { parts.append(count(peers, "peer")) }
        if routes > 0 { parts.append(count(routes, "route")) }
        if summary.otherChanges > 0 { parts.append(count(summary.otherChanges, "other change")) }
        return parts.joined(separator: ", ")
    }

    /// "2 peers added, 1 route removed": every non-zero count of a summary.
    static func changes(_ summary: ApplySummary) -> String {
        let parts = [
            (summary.peersAdded, "peer", "added"), (summary.peersChanged, "peer", "changed"),
            (summary.peersRemoved, "peer", "removed"), (summary.routesAdded, "route", "added"),
            (summary.routesRemoved, "route", "removed"), (summary.otherChanges, "other change", "made"),
        ].filter { $0.0 > 0 }.map { "\(count($0.0, $0.1)) \($0.2)" }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
