public import WGMeshDatastore
public import WGMeshResources

/// What the datastore says, as the planner reads it: every node, claim and
/// pool, and the encryption settings, at one revision.
public struct MeshSnapshot: Sendable {
    /// Every good Node record.
    public var nodes: [Stored<Node>]
    /// Every good BlockAffinity record.
    public var claims: [Stored<BlockAffinity>]
    /// Every good IPPool.
    public var pools: [IPPool]
    /// The `default` EncryptionConfig; nil when none is stored (its defaults apply).
    public var encryption: EncryptionConfig?
    /// The store revision this snapshot reflects.
    public var revision: Revision

    /// Creates a snapshot.
    public init(nodes: [Stored<Node>] = [], claims: [Stored<BlockAffinity>] = [], pools: [IPPool] = [],
                encryption: EncryptionConfig? = nil, revision: Revision = 0)
    {
        self.nodes = nodes
        self.claims = claims
        self.pools = pools
        self.encryption = encryption
        self.revision = revision
    }

    /// The encryption settings in force: the stored ones, else the defaults.
    public var encryptionSpec: EncryptionConfigSpec { encryption?.spec ?? EncryptionConfigSpec() }
}
