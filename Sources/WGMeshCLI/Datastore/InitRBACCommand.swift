public import ArgumentParser
internal import WGMeshDatastoreConnect

/// `wgmesh datastore init-rbac`: etcd's root user, the admin role, auth on.
public struct InitRBACCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "init-rbac",
        abstract: "Create etcd's root user and the wgmesh-admin role, then turn authentication on.",
        discussion: """
            Creates role \(EtcdRBAC.adminRole) (readwrite on every key under \(EtcdRBAC.wgmeshPrefix)), \
            and user root (etcd requires it before authentication can be enabled) with the password \
            in --admin-password-file and roles root and \(EtcdRBAC.adminRole); then enables \
            authentication. Run it again at any time: it keeps what exists and sets root's password.

            Without --etcd-user or --etcd-cert it logs in as root with the admin password. Afterwards \
            the CLI needs --etcd-user root --etcd-password-file FILE (or an admin user or certificate \
            of your own with role \(EtcdRBAC.adminRole)); nodes get their own users from 'add-node'.

            Example:

              (umask 077; openssl rand -base64 24 > /etc/wgmesh/etcd-root.password)
              wgmesh datastore init-rbac --datastore etcd://10.0.0.1:2379 \\
                  --admin-password-file /etc/wgmesh/etcd-root.password
            """)

    @Option(help: ArgumentHelp("File holding the password for etcd's root user (mode 0600).", valueName: "file"))
    var adminPasswordFile: String

    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Sets up the roles and enables auth.
    public func run() async throws {
        let passwordFile = adminPasswordFile, options = datastore
        try await DatastoreCommandIO.run {
            let url = try options.url()
            let password = try PasswordFile.read(at: passwordFile)
            let steps = try await EtcdRBAC.initialize(
                url: url, credentials: options.credentials(), adminPassword: password, logger: DatastoreOptions.logger)
            try DatastoreCommandIO.write(steps.map { $0 + "\n" }.joined())
        }
    }
}
