extension NodeService {
    /// Key rotation: the `rotate-key` command, the schedule and requests
    /// from other nodes. (Contract stub: filled in by the rotation work.)
    func rotationParts(_ node: NodeContext) -> NodeParts {
        NodeParts()
    }
}
