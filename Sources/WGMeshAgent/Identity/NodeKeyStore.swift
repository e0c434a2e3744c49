internal import Glibc
import WGMeshCore
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
        finishInterruptedRotation(stateDirectory: stateDirectory, logger: logger)
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

    /// The name a rotation writes the new key under before it is in use.
    public static let nextKeyFileName = "private.key.next"

    /// Writes `key` to `<stateDirectory>/private.key.next` (0600, flushed):
    /// the new key is on disk before anything else learns of it.
    public static func writeNext(_ key: Curve25519.KeyAgreement.PrivateKey, stateDirectory: String) throws(AgentError) {
        let next = path(stateDirectory, nextKeyFileName)
        do {
            try KeyFile.write(key, to: next)
        } catch {
            throw AgentError(.stateDirectory, "cannot write the new WireGuard key to \(next): \(error.reason); "
                + "make \(stateDirectory) writable by root (chown root, chmod 700)")
        }
    }

    /// Renames `private.key.next` over `private.key` and flushes the
    /// directory: the one step that makes the new key survive a restart.
    public static func promoteNext(stateDirectory: String) throws(AgentError) {
        let next = path(stateDirectory, nextKeyFileName)
        let current = path(stateDirectory, keyFileName)
        if case .failure(let error) = SystemErrno.retrying({ rename(next, current) }) {
            throw AgentError(.stateDirectory, "cannot rename \(next) over \(current): \(error); make "
                + "\(stateDirectory) writable by root, then rename it by hand before wgmeshd restarts")
        }
        let fd = open(stateDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// Deletes `private.key.next` (a rotation that did not happen).
    public static func discardNext(stateDirectory: String) {
        unlink(path(stateDirectory, nextKeyFileName))
    }

    /// A `private.key.next` left by a crash mid-rotation: start-up publishes
    /// whichever key it loads, so either is consistent. A readable one is
    /// used (the operator asked for a new key); an unreadable one was never
    /// complete, so it is deleted and the old key stays.
    static func finishInterruptedRotation(stateDirectory: String, logger: Logger) {
        let next = path(stateDirectory, nextKeyFileName)
        guard access(next, F_OK) == 0 else { return }
        do {
            let key = try KeyFile.readPrivateKey(at: next)
            try promoteNext(stateDirectory: stateDirectory)
            logger.notice("finished a key rotation that a restart interrupted: using the new key",
                          metadata: ["key.path": "\(next)", "peer.key": "\(key.publicKey)"])
        } catch {
            discardNext(stateDirectory: stateDirectory)
            logger.warning("deleted \(next), left by an interrupted key rotation (\(error)): kept the old key")
        }
    }

    private static func path(_ directory: String, _ name: String) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + name
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
