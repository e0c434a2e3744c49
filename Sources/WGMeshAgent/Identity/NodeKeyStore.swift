public import WGMeshKeys
public import Logging

/// The node's private key in the state directory: read it, or make it once.
public enum NodeKeyStore {
    /// Reads `<stateDirectory>/private.key`, or, when it does not exist,
    /// creates the directory (0700) and a new key file (0600) and returns the
    /// new key. Refuses a key file other users can read, a symlink, or a
    /// malformed key, with an error that says how to fix it. Logs the public
    /// key only.
    public static func loadOrCreate(stateDirectory: String, logger: Logger) throws
        -> Curve25519.KeyAgreement.PrivateKey
    {
        throw AgentError(.stateDirectory, "NodeKeyStore.loadOrCreate: not implemented yet")
    }
}
