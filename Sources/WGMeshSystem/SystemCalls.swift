internal import CWGMeshSystem
import Glibc

/// The system calls Swift's Glibc module hides behind `_GNU_SOURCE`, through the `CWGMeshSystem` shim:
/// the one place wgmesh makes them.
public enum SystemCalls {
    /// `setns(fd, CLONE_NEWNET)`: moves the calling thread into the network namespace open at
    /// `descriptor`. Returns 0, or -1 with errno set (the corresponding C errors are `EPERM`,
    /// `EINVAL`, `EBADF`).
    public static func enterNetworkNamespace(_ descriptor: Int32) -> Int32 {
        wgm_setns(descriptor, wgm_clone_newnet())
    }

    /// The process id of the peer of the connected Unix socket `descriptor` (`SO_PEERCRED`), or
    /// nil when the kernel does not say.
    public static func unixPeerProcess(_ descriptor: Int32) -> Int32? {
        let pid = wgm_unix_peer_pid(descriptor)
        return pid > 0 ? pid : nil
    }

    /// Whether process `pid` is in the calling thread's network namespace; nil when that cannot
    /// be read (the process is gone, or /proc is not mounted).
    public static func sharesNetworkNamespace(with pid: Int32) -> Bool? {
        var theirs = stat(), ours = stat()
        guard stat("/proc/\(pid)/ns/net", &theirs) == 0, stat("/proc/thread-self/ns/net", &ours) == 0 else { return nil }
        return theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev
    }

    /// Makes a `posix_spawn` child close every descriptor from `lowest` up
    /// (`posix_spawn_file_actions_addclosefrom_np`). `actions` points at an initialised
    /// `posix_spawn_file_actions_t` (raw, so no C type is in the signature). Returns 0, or the
    /// errno value.
    public static func closeDescriptorsInChild(_ actions: UnsafeMutableRawPointer, from lowest: Int32) -> Int32 {
        wgm_spawn_file_actions_addclosefrom(actions, lowest)
    }
}
