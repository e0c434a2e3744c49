public import ArgumentParser
internal import WGMeshDatastore
internal import WGMeshDatastoreConnect

/// `wgmesh datastore add-node NAME`: a node's own etcd user and role.
public struct AddNodeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "add-node",
        abstract: "Create the etcd user and role of one node.",
        discussion: """
            Creates user node-NAME with the password in --password-file, and role wgmesh-node-NAME: \
            read on every key under \(EtcdRBAC.keyRoot), and readwrite only on the node's own records \
            (\(NodeRecord.all.map { $0.pattern(placeholder: "NAME") + ($0.isPrefix ? "*" : "") }.joined(separator: ", "))). \
            So a node can see the mesh but cannot overwrite another \
            node's key, blocks or status. A node may log in with a client certificate instead: \
            etcd maps the certificate's CN to the user, so CN=node-NAME gets the same role. \
            Run it again at any time: it keeps what exists and sets the password.

            Log in as an admin with --etcd-user/--etcd-password-file (or --etcd-cert), or give \
            --admin-password-file to log in as root.

            Example:

              wgmesh datastore add-node worker-1 --password-file worker-1.password \\
                  --datastore etcd://10.0.0.1:2379 --etcd-user root --etcd-password-file root.password
            """)

    @Argument(help: "The node's name, as in its Node resource.")
    var name: String

    @Option(help: ArgumentHelp("File holding the node's new password (mode 0600).", valueName: "file"))
    var passwordFile: String

    @Option(help: ArgumentHelp("File holding root's password, to log in as root.", valueName: "file"))
    var adminPasswordFile: String?

    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Creates the node's user and role.
    public func run() async throws {
        let name = name, passwordFile = passwordFile, adminPasswordFile = adminPasswordFile, options = datastore
        try await DatastoreCommandIO.run {
            let url = try options.url()
            let password = try PasswordFile.read(at: passwordFile)
            let adminPassword = try adminPasswordFile.map { path in try PasswordFile.read(at: path) }
            let steps = try await EtcdRBAC.addNode(
                name, password: password, url: url, credentials: options.credentials(), adminPassword: adminPassword,
                logger: DatastoreOptions.logger)
            try DatastoreCommandIO.write(steps.map { $0 + "\n" }.joined())
        }
    }
}
