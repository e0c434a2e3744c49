public import ArgumentParser
internal import WGMeshCore

/// The `wgmesh` command line: keys, WireGuard devices, the mesh's resources,
/// and the running node (endpoints, status, key rotation).
public struct WGMeshCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wgmesh",
        abstract: "Manage a WireGuard encryption mesh and its devices.",
        discussion: """
            Key commands (genkey, pubkey, genpsk) and the wg-compatible device \
            commands (wg show, showconf, setconf, syncconf, set) work on their own. \
            apply, get and delete manage the mesh's resources (Node, IPPool, \
            EncryptionConfig, BlockAffinity, WorkloadEndpoint) in the datastore: \
            --datastore URL, else $WGMESH_DATASTORE, else \
            sqlite:///var/lib/wgmesh/datastore.db. \
            endpoint add and endpoint del wire a network namespace into the mesh like a pod, \
            with addresses from this node's blocks; status shows this node's peers and their \
            health, and rotate-key gives it a new key (these ask the local wgmeshd over its \
            control socket). status --cluster and graph show every node's view from the \
            datastore; rotate-key --node asks another node to rotate through it.

            The datastore and node options (--datastore, --etcd-ca, --etcd-cert, --etcd-key, \
            --etcd-user, --etcd-password-file, --node-name, --control-socket) may come before \
            the subcommand or after it: wgmesh --datastore URL get nodes.
            """,
        version: WGMeshVersion.current,
        subcommands: [GenKeyCommand.self, PubKeyCommand.self, GenPSKCommand.self, WGCommand.self,
                      ApplyCommand.self, GetCommand.self, DeleteCommand.self, DatastoreCommand.self,
                      EndpointCommand.self, StatusCommand.self, GraphCommand.self,
                      RotateKeyCommand.self])

    public init() {}
}

extension WGMeshCommand {
    /// `wgmesh`'s entry point: ArgumentParser's async main. Called from top-level code, where
    /// `main(_:)` would resolve to the synchronous overload, which refuses an async root.
    public static func runAsMain(_ arguments: [String]) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
