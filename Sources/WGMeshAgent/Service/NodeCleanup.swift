public import Logging

/// `wgmeshd --cleanup`: removes what wgmesh created on this node.
public enum NodeCleanup {
    /// Removes the wgmesh table's routes, the fwmark rules, the interface
    /// (and its wireguard-go process) and the host ends of endpoint veths.
    /// Leaves the datastore alone. Returns one line per thing removed.
    public static func run(config: AgentConfig, logger: Logger) throws -> [String] {
        throw AgentError(.dataplane, "NodeCleanup.run: not implemented yet")
    }
}
