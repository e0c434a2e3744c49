public import Logging
public import WGMeshDatastore
internal import WGMeshDatastoreEtcd

extension EtcdRBAC {
    /// Creates the admin role and the root user (with `adminPassword`),
    /// then turns etcd's authentication on. Safe to run again: existing
    /// users and roles are kept, root's password is set to `adminPassword`.
    ///
    /// Without a user name or client certificate in `credentials`, it logs in
    /// as root with `adminPassword` (which etcd ignores until auth is on).
    /// Returns what it did, one line per step, for the operator.
    public static func initialize(url: DatastoreURL, credentials: DatastoreCredentials, adminPassword: String,
                                  logger: Logger) async throws -> [String]
    {
        try await withAdmin(url: url, credentials: credentials, adminPassword: adminPassword, logger: logger) {
            admin in
            var steps: [String] = []
            try await admin.addRole(adminRole)
            for grant in adminGrants { try await apply(grant, to: adminRole, with: admin) }
            steps.append("role \(adminRole): " + adminGrants.map(\.description).joined(separator: ", "))
            try await admin.addRole(rootUser)
            try await admin.addUser(rootUser, password: adminPassword)
            try await admin.grantRole(user: rootUser, role: rootUser)
            try await admin.grantRole(user: rootUser, role: adminRole)
            steps.append("user \(rootUser): roles \(rootUser), \(adminRole)")
            try await admin.enableAuth()
            steps.append("authentication enabled")
            return steps
        }
    }

    /// Creates (or updates) node `node`'s user and role; see ``EtcdRBAC``.
    /// `adminPassword`, when given, logs in as root unless `credentials`
    /// name a user or a client certificate.
    public static func addNode(_ node: String, password: String, url: DatastoreURL, credentials: DatastoreCredentials,
                               adminPassword: String?, logger: Logger) async throws -> [String]
    {
        try checkNodeName(node)
        return try await withAdmin(url: url, credentials: credentials, adminPassword: adminPassword, logger: logger) {
            admin in
            let user = nodeUser(node), role = nodeRole(node), grants = nodeGrants(node)
            try await admin.addRole(role)
            for grant in grants { try await apply(grant, to: role, with: admin) }
            try await admin.addUser(user, password: password)
            try await admin.grantRole(user: user, role: role)
            return ["role \(role): " + grants.map(\.description).joined(separator: ", "),
                    "user \(user): role \(role)"]
        }
    }

    private static func apply(_ grant: Grant, to role: String, with admin: EtcdAuthAdmin) async throws {
        let access: EtcdAuthAdmin.Access = grant.access == .read ? .read : .readWrite
        if grant.isPrefix {
            try await admin.grantPermission(role: role, prefix: grant.key, access: access)
        } else {
            try await admin.grantPermission(role: role, key: grant.key, access: access)
        }
    }

    /// Runs `body` with an admin connection to the etcd at `url`.
    private static func withAdmin<T>(url: DatastoreURL, credentials: DatastoreCredentials, adminPassword: String?,
                                     logger: Logger, _ body: (EtcdAuthAdmin) async throws -> T) async throws -> T
    {
        guard case .etcd(let endpoints, let tls) = url else {
            throw DatastoreError(
                .invalidConfiguration,
                "\(url) is the embedded SQLite store, which has no users or roles: RBAC applies to etcd only; "
                    + "give --datastore etcd://host:port")
        }
        var login = credentials
        var password: String?
        if credentials.username == nil, credentials.certFile == nil, let adminPassword {
            login.username = rootUser
            password = adminPassword
        } else {
            try DatastoreConnector.check(credentials, for: url)
            password = try credentials.passwordFile.map { path throws(DatastoreError) in try PasswordFile.read(at: path) }
        }
        let store = try await DatastoreConnector.connectEtcd(
            endpoints: endpoints, tls: tls, credentials: login, password: password, logger: logger)
        do {
            let result = try await body(EtcdAuthAdmin(store))
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
