import Glibc
internal import WGMeshSystem

/// A network namespace file, held open: a bind mount such as
/// /var/run/netns/NAME (`ip netns add`) or /proc/PID/ns/net.
///
/// Holding the descriptor keeps the namespace alive and lets requests name it
/// (`IFLA_NET_NS_FD`) without a race against the path being replaced.
public final class NetworkNamespace: Sendable {
    /// The path it was opened from, for messages.
    public let path: String
    /// The open descriptor (O_RDONLY, close-on-exec).
    let descriptor: Int32

    /// Opens `path` and checks that it is a namespace file; a plain file or a
    /// missing path is a ``RoutingError/Code/notFound`` naming the path.
    public init(path: String) throws(RoutingError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            throw RoutingError(error == EACCES || error == EPERM ? .permission : .notFound, errno: error,
                               "cannot open network namespace \(path): \(RoutingError.describe(errno: error)); "
                                   + "give the path of an existing netns, e.g. /var/run/netns/NAME (see `ip netns list`)")
        }
        // Every namespace file lives on the one nsfs filesystem, so it shares
        // its device with our own; anything else (a regular file, a folder)
        // would make setns and IFLA_NET_NS_FD fail later with a vaguer EINVAL.
        guard Self.isNetworkNamespace(descriptor) else {
            close(descriptor)
            throw RoutingError(.notFound, errno: EINVAL,
                               "\(path) is not a network namespace file; give a path made by `ip netns add` "
                                   + "(/var/run/netns/NAME) or /proc/PID/ns/net")
        }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Whether the open file is on nsfs, like our own /proc/self/ns/net.
    /// (The namespace's type is checked by the kernel when it is used.)
    static func isNetworkNamespace(_ descriptor: Int32) -> Bool {
        var file = stat(), own = stat()
        guard fstat(descriptor, &file) == 0, stat("/proc/self/ns/net", &own) == 0 else { return false }
        return file.st_dev == own.st_dev && (file.st_mode & S_IFMT) == S_IFREG
    }

    /// Runs `body` on the calling thread inside this namespace, then returns
    /// the thread to the namespace it was in.
    ///
    /// `body` must not suspend: the namespace belongs to the thread, and an
    /// async hop would run the rest elsewhere. Sockets opened inside stay in
    /// this namespace after the thread leaves.
    public func withEntered<T, E: Error>(_ body: () throws(E) -> T) throws(RoutingError) -> Result<T, E> {
        // thread-self, not self: another thread of this process may be elsewhere.
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else {
            throw RoutingError(.system, errno: errno,
                               "cannot open /proc/thread-self/ns/net to return from \(path): "
                                   + "\(RoutingError.describe(errno: errno)); is /proc mounted?")
        }
        defer { close(original) }
        guard Self.setNetworkNamespace(descriptor) == 0 else {
            let error = errno
            throw RoutingError(error == EPERM ? .permission : .system, errno: error,
                               "cannot enter network namespace \(path): \(RoutingError.describe(errno: error)); "
                                   + "run as root (CAP_SYS_ADMIN)")
        }
        let result: Result<T, E>
        do throws(E) {
            result = .success(try body())
        } catch {
            result = .failure(error)
        }
        // Leaving a pool thread in a pod's namespace would misroute every later
        // job on it; going back into the namespace we came from cannot fail
        // for a process that could leave it, so stop rather than carry on.
        guard Self.setNetworkNamespace(original) == 0 else {
            fatalError("cannot return from network namespace \(path): errno \(errno)")
        }
        return result
    }

    /// `setns(fd, CLONE_NEWNET)`.
    static func setNetworkNamespace(_ descriptor: Int32) -> Int32 {
        SystemCalls.enterNetworkNamespace(descriptor)
    }
}
