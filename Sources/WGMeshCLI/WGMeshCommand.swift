public import ArgumentParser

/// The `wgmesh` command line: keys, WireGuard devices, and later the mesh.
public struct WGMeshCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wgmesh",
        abstract: "Manage a WireGuard encryption mesh and its devices.",
        discussion: """
            Key commands (genkey, pubkey, genpsk) and the wg-compatible device \
            commands (wg show, showconf, setconf, syncconf, set) work on their own. \
            apply, get and delete manage the mesh's resources (Node, IPPool, \
            EncryptionConfig, BlockAffinity, WorkloadEndpoint) in the datastore: \
            --datastore URL, else $WGMESH_DATASTORE, else \
            sqlite:///var/lib/wgmesh/datastore.db. The node service arrives next. \
            endpoint add and endpoint del wire a network namespace into the mesh like a pod, \
            with addresses from this node's blocks (wgmeshd must be running).
            """,
        subcommands: [GenKeyCommand.self, PubKeyCommand.self, GenPSKCommand.self, WGCommand.self,
                      ApplyCommand.self, GetCommand.self, DeleteCommand.self, DatastoreCommand.self,
                      EndpointCommand.self, StatusCommand.self, GraphCommand.self,
                      RotateKeyCommand.self])

    public init() {}
}
