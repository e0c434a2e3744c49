public import ArgumentParser
internal import WGMeshAgent

/// `wgmesh endpoint del`: undoes `endpoint add`.
public struct EndpointDeleteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "del",
        abstract: "Remove an endpoint: its veth pair, routes and record.",
        discussion: """
            Deletes the host end of the endpoint's veth pair (the kernel removes the other end \
            and every route through it) and then this node's WorkloadEndpoint record, freeing \
            its addresses. The network namespace itself is left alone. An endpoint that has \
            neither a record nor a veth is an error (exit status 1). wgmeshd need not be running.

            Example:

              wgmesh endpoint del --name pod1
            """,
        aliases: ["delete"])

    @Option(help: ArgumentHelp("The endpoint's name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The workload namespace.", valueName: "namespace"))
    var namespace: String = "default"

    @OptionGroup var node: NodeOptions
    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Removes the endpoint and says so.
    public func run() async throws {
        let name = name, namespace = namespace, node = node, options = datastore
        try await DatastoreCommandIO.run {
            let nodeName = try node.resolvedNodeName()
            let lockPath = EndpointManager.lockPath(forControlSocket: node.resolvedControlSocket())
            let deleted = try await options.withStore { store in
                try await EndpointManager(store: store, logger: DatastoreOptions.logger, lockPath: lockPath)
                    .delete(name: name, namespace: namespace, node: nodeName)
            }
            guard deleted else {
                throw CommandFailure("there is no endpoint \(namespace)/\(name) on node \(nodeName): "
                                         + "nothing was removed; check `wgmesh get wep --namespace \(namespace)`")
            }
            try DatastoreCommandIO.write("endpoint \(namespace)/\(name) deleted\n")
        }
    }
}
