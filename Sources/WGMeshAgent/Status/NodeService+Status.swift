import WGMeshResources

extension NodeService {
    /// Peer status: the `status` command and publishing this node's view
    /// for `wgmesh status --cluster`.
    func statusParts(_ node: NodeContext) -> NodeParts {
        let reporter = node.statusReporter
        let publisher = StatusPublisher(
            write: { status in try await node.store.writeStatus(status, node: node.config.nodeName) },
            logger: node.logger)
        let interval = node.config.statusInterval
        return NodeParts(
            commands: [.status: {
                do {
                    return .result(try await reporter.report().json)
                } catch {
                    // Not ready yet, or the device cannot be read now: either way, not now.
                    return .failure(ControlError(.unavailable, StatusReporter.message(for: error)))
                }
            }],
            tasks: [{ try await publisher.run(every: interval, report: reporter.report) }])
    }
}
