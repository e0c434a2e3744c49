public import Logging
public import WGMeshDatastore
internal import WGMeshDatastoreEtcd
internal import WGMeshDatastoreSQLite

/// Opens the datastore a ``DatastoreURL`` names: the one place that knows
/// both backends, so the CLI, the node service and the tools agree on what a
/// URL and a set of credentials mean.
public enum DatastoreConnector {
    /// Opens the store at `url`, checking first that `credentials` fit it.
    ///
    /// For etcd the password is read from `credentials.passwordFile`, which
    /// must be readable by its owner only (see ``PasswordFile``). A missing
    /// SQLite file is created only when `createIfMissing` is true.
    public static func connect(url: DatastoreURL, credentials: DatastoreCredentials = DatastoreCredentials(),
                               createIfMissing: Bool = true, logger: Logger) async throws -> any Datastore
    {
        try check(credentials, for: url)
        switch url {
        case .sqlite(let path):
            return try SQLiteDatastore.open(path: path, options: SQLiteOptions(createIfMissing: createIfMissing),
                                            logger: logger)
        case .etcd(let endpoints, let tls):
            let password = try credentials.passwordFile.map { path throws(DatastoreError) in
                try PasswordFile.read(at: path)
            }
            return try await connectEtcd(endpoints: endpoints, tls: tls, credentials: credentials,
                                         password: password, logger: logger)
        }
    }

    /// Refuses credentials that the URL cannot use, so that a typo (a
    /// certificate given for a plain-text URL, a user without a password) is
    /// an error and not a silently weaker connection.
    public static func check(_ credentials: DatastoreCredentials, for url: DatastoreURL) throws(DatastoreError) {
        switch url {
        case .sqlite:
            guard credentials.isEmpty else {
                throw DatastoreError(
                    .invalidConfiguration,
                    "the etcd options (--etcd-ca, --etcd-cert, --etcd-key, --etcd-user, --etcd-password-file or "
                        + "their WGMESH_ETCD_* variables) do not apply to \(url): drop them, or point --datastore at etcd")
            }
        case .etcd(_, let tls):
            if !tls, credentials.caFile != nil || credentials.certFile != nil || credentials.keyFile != nil {
                throw DatastoreError(
                    .invalidConfiguration,
                    "TLS files (--etcd-ca, --etcd-cert, --etcd-key) were given for the plain-text URL \(url): "
                        + "write etcds:// to use TLS, or drop them")
            }
            if (credentials.certFile == nil) != (credentials.keyFile == nil) {
                throw DatastoreError(
                    .invalidConfiguration,
                    "a client certificate needs both --etcd-cert and --etcd-key: give both, or neither")
            }
            if (credentials.username == nil) != (credentials.passwordFile == nil) {
                throw DatastoreError(
                    .invalidConfiguration,
                    "password authentication needs both --etcd-user and --etcd-password-file: give both, or neither")
            }
        }
    }
}
