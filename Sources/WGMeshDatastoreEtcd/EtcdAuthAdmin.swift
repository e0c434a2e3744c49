internal import EtcdAPI
internal import GRPCCore
internal import WGMeshDatastore

/// etcd's users, roles and permissions, for `wgmesh datastore init-rbac`.
///
/// Each step can run again: a user, role or grant that already exists is
/// left as asked (an existing user gets the given password).
public struct EtcdAuthAdmin: Sendable {
    /// What a permission allows.
    public enum Access: Sendable {
        /// Range and watch.
        case read
        /// Put, delete and transactions.
        case write
        /// Both.
        case readWrite
    }

    let store: EtcdDatastore

    /// Administers the cluster `store` is connected to, with its credentials
    /// (root, once auth is on).
    public init(_ store: EtcdDatastore) { self.store = store }

    /// Creates a user with a password, or sets the password of an existing one.
    public func addUser(_ name: String, password: String) async throws {
        var request = Etcdserverpb_AuthUserAddRequest()
        request.name = name
        request.password = password
        do {
            _ = try await store.call("add user \(name)", retry: .always) { [request] client, metadata, options in
                try await client.auth.userAdd(request, metadata: metadata, options: options)
            }
        } catch let error as DatastoreError where error.code == .alreadyExists {
            var change = Etcdserverpb_AuthUserChangePasswordRequest()
            change.name = name
            change.password = password
            _ = try await store.call("change the password of \(name)", retry: .always) {
                [change] client, metadata, options in
                try await client.auth.userChangePassword(change, metadata: metadata, options: options)
            }
        }
    }

    /// Creates a role (an existing one is kept with its permissions).
    public func addRole(_ name: String) async throws {
        var request = Etcdserverpb_AuthRoleAddRequest()
        request.name = name
        do {
            _ = try await store.call("add role \(name)", retry: .always) { [request] client, metadata, options in
                try await client.auth.roleAdd(request, metadata: metadata, options: options)
            }
        } catch let error as DatastoreError where error.code == .alreadyExists {
            return
        }
    }

    /// Lets `role` use `key`, or the range [key, rangeEnd) when `rangeEnd` is given.
    public func grantPermission(role: String, key: String, rangeEnd: String? = nil, access: Access) async throws {
        try await grant(role: role, key: Array(key.utf8), rangeEnd: rangeEnd.map { Array($0.utf8) } ?? [],
                        access: access, what: key)
    }

    /// Lets `role` use every key that starts with `prefix`.
    public func grantPermission(role: String, prefix: String, access: Access) async throws {
        let bytes = Array(prefix.utf8)
        try await grant(role: role, key: EtcdKeys.rangeStart(ofPrefix: bytes),
                        rangeEnd: EtcdKeys.rangeEnd(ofPrefix: bytes), access: access, what: prefix + "*")
    }

    /// Gives `user` the permissions of `role`.
    public func grantRole(user: String, role: String) async throws {
        var request = Etcdserverpb_AuthUserGrantRoleRequest()
        request.user = user
        request.role = role
        _ = try await store.call("grant role \(role) to \(user)", retry: .always) {
            [request] client, metadata, options in
            try await client.auth.userGrantRole(request, metadata: metadata, options: options)
        }
    }

    /// Turns authentication on (etcd needs a user "root" with role "root"
    /// first) and logs this connection in again.
    public func enableAuth() async throws {
        do {
            _ = try await store.call("enable auth", retry: .always) { client, metadata, options in
                try await client.auth.authEnable(.init(), metadata: metadata, options: options)
            }
        } catch let error as DatastoreError where error.code == .invalidConfiguration {
            throw DatastoreError(
                .invalidConfiguration,
                "etcd cannot turn auth on without a user root holding role root: add both, then enable auth")
        }
        try await store.authenticate()
    }

    /// Every role's name.
    public func listRoles() async throws -> [String] {
        try await store.call("list roles", retry: .always) { client, metadata, options in
            try await client.auth.roleList(.init(), metadata: metadata, options: options).roles
        }
    }

    /// Every user's name.
    public func listUsers() async throws -> [String] {
        try await store.call("list users", retry: .always) { client, metadata, options in
            try await client.auth.userList(.init(), metadata: metadata, options: options).users
        }
    }

    private func grant(role: String, key: [UInt8], rangeEnd: [UInt8], access: Access, what: String) async throws {
        var permission = Authpb_Permission()
        permission.key = .init(key)
        permission.rangeEnd = .init(rangeEnd)
        permission.permType = switch access {
        case .read: .read
        case .write: .write
        case .readWrite: .readwrite
        }
        var request = Etcdserverpb_AuthRoleGrantPermissionRequest()
        request.name = role
        request.perm = permission
        _ = try await store.call("grant \(what) to role \(role)", retry: .always) {
            [request] client, metadata, options in
            try await client.auth.roleGrantPermission(request, metadata: metadata, options: options)
        }
    }
}
