public import ArgumentParser
internal import WGMeshAgent

/// `wgmesh graph`: prints the mesh as Graphviz DOT with health on the edges.
public struct GraphCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the mesh as a Graphviz graph, edges coloured by handshake health.",
        discussion: """
            Reads every node and its published peer status from the datastore (see --datastore) \
            and prints an undirected DOT graph: one vertex per node (name, tunnel addresses, \
            endpoint; dashed when its wgmeshd is not reporting) and one edge per peered pair, \
            labelled with both nodes' views (as in wgmesh status --cluster) and coloured by the \
            worse one: green ok, grey idle, orange stale, red never/missing/unexpected, dashed grey \
            when one side does not report.

            Exit codes: 0 healthy, 1 any problem (the graph is printed anyway), 2 bad input, \
            3 the datastore cannot be read.

            Example:

              wgmesh graph | dot -Tsvg > mesh.svg
            """)

    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Prints the graph.
    public func run() async throws {
        let health: ClusterHealth
        do {
            health = try await ClusterLoader.load(options: datastore)
        } catch let failure as ClusterLoader.LoadFailure {
            throw ExitCode(failure.code)
        }
        try DatastoreCommandIO.write(ClusterDOT.text(health))
        if !health.isHealthy { throw ExitCode(ClusterLoader.unhealthy) }
    }
}
