internal import Glibc
public import WGMeshKeys
public import Logging

/// The node's private key in the state directory: read it, or make it once.
public enum NodeKeyStore {
    /// The key file's name inside the state directory.
    public static let keyFileName = "private.key"

    /// Reads `<stateDirectory>/private.key`, or, when it does not exist,
    /// creates the directory (0700) and a new key file (0600) and returns the
    /// new key. Refuses a key file other users can read, a symlink, or a
    /// malformed key, with an error that says how to fix it. Logs the public
    /// key only.
    public static func loadOrCreate(stateDirectory: String, logger: Logger) throws
        -> Curve25519.KeyAgreement.PrivateKey
    {
        try StateDirectory.prepare(stateDirectory)
        let path = (stateDirectory.hasSuffix("/") ? stateDirectory : stateDirectory + "/") + keyFileName
        do {
            let key = try KeyFile.readPrivateKey(at: path)
            logger.info("loaded the WireGuard key", metadata: ["key.path": "\(path)", "peer.key": "\(key.publicKey)"])
            return key
        } catch let error where error.code == .notFound {
            // Fall through to generate: the only case where making a key is right.
        } catch {
            throw AgentError(.stateDirectory, keyProblem(error, path: path))
        }
        let key = Curve25519.KeyAgreement.PrivateKey()
        do {
            try KeyFile.write(key, to: path)
        } catch {
            throw AgentError(.stateDirectory,
                             "cannot write the new WireGuard key to \(path): \(error.reason); "
                                 + "make \(stateDirectory) writable by root (chown root, chmod 700)")
        }
        logger.notice("generated a new WireGuard key",
                      metadata: ["key.path": "\(path)", "peer.key": "\(key.publicKey)"])
        return key
    }

    /// When the key file was last written (seconds since the Unix epoch):
    /// the key's age survives restarts. Now, when the file cannot be read.
    public static func createdAt(stateDirectory: String) -> Int64 {
        let path = (stateDirectory.hasSuffix("/") ? stateDirectory : stateDirectory + "/") + keyFileName
        var info = stat()
        guard stat(path, &info) == 0 else { return KeyState.now() }
        return Int64(info.st_mtim.tv_sec)
    }

    /// An operator's sentence for a key file we will not use. KeyFile's own
    /// reasons already say the fix (chmod 600, give the file not the link);
    /// they only need to say that the node cannot start without it.
    private static func keyProblem(_ error: KeyError, path: String) -> String {
        switch error.code {
        case .malformed, .trailingCharacters:
            "\(error.reason); the node's key is unusable: restore it from a backup, or delete \(path) to make a "
                + "new key (peers then learn the new key from the datastore)"
        default:
            "\(error.reason) (the node's WireGuard key)"
        }
    }
}
