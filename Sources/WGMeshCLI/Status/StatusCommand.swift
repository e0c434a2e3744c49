public import ArgumentParser
internal import WGMeshAgent

/// `wgmesh status`: this node's interface and the health of every peer,
/// as the local wgmeshd sees them.
public struct StatusCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this node's WireGuard interface and the health of every peer.",
        discussion: """
            Asks the local wgmeshd over its control socket. The table lists unhealthy peers \
            first; -o json prints the documented schema wgmesh.status/v1 (docs/status-schema.md).

            Peer states (ok and idle are healthy):
              ok          handshake within 3 min, or older and nothing sent since
              idle        no handshake, nothing sent yet: unused, not broken
              stale       handshake older than 3 min although traffic is sent
              never       no handshake ever, although this node sent to it
              missing     in the datastore but not on the interface
              unexpected  on the interface but no node wants it

            Exit codes:
              0   every peer is ok or idle
              1   at least one peer is stale, never, missing or unexpected
              3   wgmeshd cannot be reached (systemctl start wgmeshd)
              64  bad arguments

            --cluster reads every node's published view from the datastore instead \
            (see --datastore) and prints a node x node matrix.
            """)

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "Output format: table or json.", valueName: "format"))
    var output: OutputFormat = .table

    @Flag(help: "Show every node's view of every other node, from the datastore.")
    var cluster = false

    @Option(help: ArgumentHelp(
        "Seconds to wait for wgmeshd's answer before exiting 3 (1-600; a busy daemon may need more).",
        valueName: "seconds"))
    var timeout: Int = 5

    @OptionGroup var node: NodeOptions
    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Refuses output formats the local view has no form for.
    public func validate() throws {
        if !(1...600).contains(timeout) {
            throw ValidationError("--timeout is seconds from 1 to 600, not \(timeout)")
        }
        if !cluster, output != .table, output != .json {
            throw ValidationError("wgmesh status prints table or json, not \(output.rawValue): use -o table or -o json")
        }
    }

    /// Prints the status and exits 0 (healthy), 1 (unhealthy) or 3 (no daemon).
    public func run() async throws {
        let code = cluster
            ? try await ClusterStatusRunner.run(options: datastore, format: output)
            : try await LocalStatusRunner.run(node: node, format: output, timeoutSeconds: timeout)
        if code != 0 { throw ExitCode(code) }
    }
}
