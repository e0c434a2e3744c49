internal import WGMeshAgent

/// `wgmesh status --cluster`: every node's view from the datastore, as a
/// node × node matrix with one-line explanations, or as JSON.
enum ClusterStatusRunner {
    /// Prints the cluster view in `format` and returns the exit code:
    /// 0 healthy, 1 any problem, 2 bad input, 3 datastore unreachable.
    static func run(options: DatastoreOptions, format: OutputFormat) async throws -> Int32 {
        guard format == .table || format == .wide || format == .json else {
            DatastoreCommandIO.printError(
                "Error: wgmesh status --cluster prints table or json, not \(format.rawValue): use -o table or -o json")
            return ClusterLoader.badInput
        }
        let health: ClusterHealth
        do {
            health = try await ClusterLoader.load(options: options)
        } catch let failure as ClusterLoader.LoadFailure {
            return failure.code
        }
        try DatastoreCommandIO.write(format == .json ? ClusterJSON.text(health) : ClusterMatrix.text(health))
        return health.isHealthy ? ClusterLoader.healthy : ClusterLoader.unhealthy
    }
}
