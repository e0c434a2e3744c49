extension NodeService {
    /// Peer status: the `status` command and publishing this node's view
    /// for `wgmesh status --cluster`. (Contract stub: filled in by the status work.)
    func statusParts(_ node: NodeContext) -> NodeParts {
        NodeParts()
    }
}

/// Builds this node's ``LocalStatus`` from the plan applied last and the
/// device as the interface reports it now. (Contract stub.)
final class StatusReporter: Sendable {
    /// Creates a reporter for the started node.
    init(node: NodeContext) {}

    /// Reads the device and reports every peer.
    func report() async throws -> LocalStatus {
        throw AgentError(.invalidConfiguration, "status is not implemented yet")
    }
}
