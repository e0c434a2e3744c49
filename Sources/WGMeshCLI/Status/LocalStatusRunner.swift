/// `wgmesh status` without `--cluster`: asks the local daemon.
enum LocalStatusRunner {
    /// Prints this node's status in `format` and returns the exit code.
    static func run(node: NodeOptions, format: OutputFormat) throws -> Int32 {
        throw CommandFailure("not implemented yet")
    }
}
