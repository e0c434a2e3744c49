public import ArgumentParser
internal import WGMeshDatastore
internal import WGMeshResources

/// `wgmesh apply -f FILE|-`: creates or updates the resources of a YAML or JSON file.
public struct ApplyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update resources from a YAML or JSON file.",
        discussion: """
            FILE holds one or more documents (YAML separated by '---', or JSON; the {"items": [...]} \
            list that 'wgmesh get -o json' prints works too). Each document is a resource: apiVersion \
            wgmesh.io/v1, kind, metadata and spec. Unknown kinds and fields are errors that name them.

            An apply is all-or-nothing. Every resource is validated first, on its own and against the \
            others (the rest of the file counts, so an IPPool and a BlockAffinity inside it can go in \
            together); if any is invalid, nothing is written and every invalid document is listed. Then \
            all of them are written in one transaction: if someone changed one of them in between, that \
            is a conflict and nothing is written. At most \(ResourceStore.applyLimit) resources per apply.

            Prints one line per resource: 'ippool/pool-a created', 'node/a configured' or \
            'node/b unchanged'.

            Example:

              wgmesh apply -f pools.yaml
              wgmesh get ippools -o yaml | wgmesh apply -f -
            """)

    @Option(name: [.customShort("f"), .customLong("filename")], help: ArgumentHelp(
        "The file to apply, or - for standard input.", valueName: "file"))
    var filename: String

    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Reads, validates and writes the resources.
    public func run() async throws {
        let filename = filename, options = datastore
        try await DatastoreCommandIO.run {
            let bytes = try DatastoreCommandIO.readInput(filename)
            let resources = try ResourceInput.decode(bytes, source: filename == "-" ? "standard input" : filename)
            let outcomes = try await options.withStore(creating: true) { store in try await store.apply(resources) }
            try DatastoreCommandIO.write(outcomes.map { "\($0)\n" }.joined())
        }
    }
}
