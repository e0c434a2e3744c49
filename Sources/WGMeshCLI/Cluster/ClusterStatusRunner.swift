/// `wgmesh status --cluster`: every node's view from the datastore.
/// (Stub by the status work so that `StatusCommand` compiles; the cluster
/// work owns and fills it.)
enum ClusterStatusRunner {
    /// Prints the cluster view in `format` and returns the exit code.
    static func run(options: DatastoreOptions, format: OutputFormat) throws -> Int32 {
        throw CommandFailure("wgmesh status --cluster is not implemented yet: use wgmesh status on each node")
    }
}
