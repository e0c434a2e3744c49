public import ArgumentParser

/// `wgmesh datastore`: set-up tasks for the datastore itself.
public struct DatastoreCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "datastore",
        abstract: "Set up the datastore: etcd users and roles.",
        discussion: """
            On etcd, each node should log in as its own user, which may write only that node's \
            records: 'init-rbac' once per cluster, then 'add-node' once per node. The embedded \
            SQLite store is a local file with no users; these commands refuse it.
            """,
        subcommands: [InitRBACCommand.self, AddNodeCommand.self])

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}
}
