public import ArgumentParser

/// `wgmesh endpoint`: wires pods (network namespaces) into the mesh on this node.
public struct EndpointCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Connect network namespaces (pods) to the mesh on this node.",
        discussion: """
            'endpoint add' does what a CNI plugin does for a pod: it takes one address per \
            family from this node's blocks, records a WorkloadEndpoint, and wires the netns with \
            a veth pair. 'endpoint del' undoes it. Both ask the running wgmeshd (over its control \
            socket) which node this is and which blocks it owns, so wgmeshd must be running.
            """,
        subcommands: [EndpointAddCommand.self, EndpointDeleteCommand.self])

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}
}
