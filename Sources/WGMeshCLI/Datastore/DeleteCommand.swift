public import ArgumentParser
internal import WGMeshDatastore
internal import WGMeshResources

/// `wgmesh delete KIND NAME`: removes a resource from the datastore.
public struct DeleteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a resource from the datastore.",
        discussion: """
            KIND is spelled as for 'wgmesh get'. Deleting a node also deletes, in the same \
            transaction, its status, its liveness record, its block affinities (releasing its pod \
            blocks) and its workload endpoints. Workload endpoints need --namespace. A NAME that \
            does not exist is an error (exit status 1).

            Example:

              wgmesh delete node worker-3
              wgmesh delete wep web-0 --namespace shop
            """)

    @Argument(help: "The kind: node, ippool, encryptionconfig, blockaffinity, workloadendpoint.")
    var kind: String

    @Argument(help: "The resource's name.")
    var name: String

    @Option(help: ArgumentHelp("The namespace, for workload endpoints.", valueName: "namespace"))
    var namespace: String?

    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Deletes the resource and says so.
    public func run() async throws {
        let kind = kind, name = name, namespace = namespace, options = datastore
        try await DatastoreCommandIO.run {
            let type = try KindArgument.resolve(kind)
            try KindArgument.checkNamespace(namespace, for: type)
            if type.kind.namespaced, namespace == nil {
                throw CommandFailure("\(type.kind.plural) are namespaced: give --namespace")
            }
            let deleted = try await options.withStore { store in
                try await store.delete(type, name: name, namespace: namespace)
            }
            guard deleted else { throw CommandFailure(KindArgument.notFound(type, name: name, namespace: namespace)) }
            try DatastoreCommandIO.write("\(type.kind.name.lowercased())/\(name) deleted\n")
        }
    }
}
