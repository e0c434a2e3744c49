internal import ArgumentParser
internal import WGMeshAgent

/// Which node a local command acts for and how it reaches that node's
/// wgmeshd: shared by the commands that change this machine (`endpoint`).
struct NodeOptions: ParsableArguments {
    @Option(name: .customLong("node-name"), help: ArgumentHelp(
        "This node's name (else $WGMESH_NODE_NAME, else the hostname up to the first dot).", valueName: "name"))
    var nodeName: String?

    @Option(name: .customLong("control-socket"), help: ArgumentHelp(
        "wgmeshd's control socket (else $WGMESH_CONTROL_SOCKET, else \(AgentConfig.defaultControlSocket)).",
        valueName: "path"))
    var controlSocket: String?

    /// Creates the options; ArgumentParser fills them from the command line.
    init() {}

    /// The node name from the option, the environment or the hostname.
    func resolvedNodeName() throws -> String {
        guard let name = nodeName ?? DatastoreOptions.environment("WGMESH_NODE_NAME") ?? Hostname.current() else {
            throw CommandFailure("this machine has no hostname to name the node by: give --node-name or set WGMESH_NODE_NAME")
        }
        return name
    }

    /// The control socket path from the option, the environment or the default.
    func resolvedControlSocket() -> String {
        controlSocket ?? DatastoreOptions.environment("WGMESH_CONTROL_SOCKET") ?? AgentConfig.defaultControlSocket
    }
}
