import Glibc

/// An exclusive `flock` on the endpoints lock file, released on deinit.
///
/// Only this node allocates from its blocks, so a local lock is enough to
/// keep two `wgmesh endpoint add` runs from picking the same address.
final class EndpointLock {
    private var descriptor: Int32

    /// Waits for the lock on `path`, creating the file (0600) and its folder
    /// (0755) when missing.
    init(path: String) throws(AgentError) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !folder.isEmpty, mkdir(folder, 0o755) != 0, errno != EEXIST {
            throw AgentError(.endpoint, "cannot create \(folder) for the endpoints lock: "
                                 + "\(String(cString: strerror(errno))); run as root or create the folder")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AgentError(.endpoint, "cannot open the endpoints lock \(path): "
                                 + "\(String(cString: strerror(errno))); run as root")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw AgentError(.endpoint, "cannot lock \(path): \(reason); check the file system supports flock")
            }
        }
        self.descriptor = descriptor
    }

    /// Drops the lock; later calls do nothing.
    func release() {
        guard descriptor >= 0 else { return }
        // Closing the descriptor drops the lock.
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
