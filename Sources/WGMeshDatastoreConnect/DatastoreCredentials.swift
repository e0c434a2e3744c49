/// How to prove who we are to an etcd cluster: TLS files and/or a user name
/// with a password file. All nil is fine for SQLite and for an etcd without auth.
public struct DatastoreCredentials: Hashable, Sendable {
    /// PEM file of the certificate authorities to trust (etcds:// only);
    /// nil trusts the system's roots.
    public var caFile: String?
    /// PEM client certificate (etcds:// only); etcd maps its CN to a user.
    public var certFile: String?
    /// PEM private key of `certFile`.
    public var keyFile: String?
    /// etcd user name for password authentication.
    public var username: String?
    /// File holding the user's password; it must be readable by its owner only.
    public var passwordFile: String?

    /// Creates credentials.
    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, username: String? = nil,
                passwordFile: String? = nil)
    {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.username = username
        self.passwordFile = passwordFile
    }

    /// True when no field is set.
    public var isEmpty: Bool {
        caFile == nil && certFile == nil && keyFile == nil && username == nil && passwordFile == nil
    }
}
