public import ArgumentParser
internal import WGMeshDatastore
internal import WGMeshResources

/// `wgmesh get KIND [NAME]`: prints resources from the datastore.
public struct GetCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print resources from the datastore.",
        discussion: """
            KIND is case-insensitive and may be singular, plural or a short name, as in kubectl: \
            node/nodes/no, ippool/ippools/pool, encryptionconfig/encryption, blockaffinity/affinity, \
            workloadendpoint/wep. Without NAME, every resource of the kind is listed (workload \
            endpoints of every namespace unless --namespace is given).

            Output (-o): table (the default), wide (more columns), yaml (documents that \
            'wgmesh apply' takes back), json (one object for a named get, {"items": [...]} for a list).

            Records that someone wrote behind the CLI's back and that fail validation are skipped \
            and reported on stderr as warnings; the rest are printed as usual. A NAME that does not \
            exist is an error (exit status 1).

            Example:

              wgmesh get nodes -o wide
              wgmesh get ippool pool-a -o yaml
            """)

    @Argument(help: "The kind: node, ippool, encryptionconfig, blockaffinity, workloadendpoint (any case, singular or plural).")
    var kind: String

    @Argument(help: "The resource's name; all of the kind when omitted.")
    var name: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "Output format: table, wide, yaml or json.", valueName: "format"))
    var output: OutputFormat = .table

    @Option(help: ArgumentHelp("The namespace, for workload endpoints.", valueName: "namespace"))
    var namespace: String?

    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Reads and prints the resources.
    public func run() async throws {
        let kind = kind, name = name, output = output, namespace = namespace, options = datastore
        try await DatastoreCommandIO.run {
            let type = try KindArgument.resolve(kind)
            try KindArgument.checkNamespace(namespace, for: type)
            let list = try await options.withStore { store in try await store.listAny(type) }
            DatastoreCommandIO.warn(about: list.rejected)
            let items = list.items.map(\.resource).filter { resource in
                (namespace == nil || resource.metadata.namespace == namespace)
                    && (name == nil || resource.metadata.name == name)
            }
            if let name, items.isEmpty {
                throw CommandFailure(KindArgument.notFound(type, name: name, namespace: namespace))
            }
            if let name, items.count > 1 {
                let namespaces = items.compactMap(\.metadata.namespace).joined(separator: ", ")
                throw CommandFailure(
                    "\(type.kind.name.lowercased()) \"\(name)\" exists in several namespaces (\(namespaces)): give --namespace")
            }
            if items.isEmpty, output == .table || output == .wide {
                DatastoreCommandIO.printError("No \(type.kind.plural) found.")
                return
            }
            try DatastoreCommandIO.write(output.render(items, kind: type.kind, single: name != nil))
        }
    }
}
