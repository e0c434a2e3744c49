import Glibc
import WGMeshCore
import WGMeshDatastore

/// What wakes a store's watcher thread: the process's shared inotify reader
/// (for commits by other processes and connections), ``poke()`` (for this
/// store's own writes), or a deadline.
///
/// Owns a pipe; unsubscribes from inotify and closes it in `deinit`.
final class ChangeSignal {
    private let pipeRead: Int32
    private let pipeWrite: Int32
    private var subscription: (Int32, UInt64)?

    /// Watches the directory holding `path` for changes to the database and its WAL.
    init(path: String) throws(DatastoreError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw DatastoreError(.unavailable, "cannot create the watcher's wake-up pipe: \(SystemErrno(errno))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        pipeRead = fds[0]
        pipeWrite = fds[1]
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        subscription = try DirectoryWatch.shared.subscribe(
            directory: DatabaseFile.parent(of: path), names: [Array(base.utf8), Array((base + "-wal").utf8)],
            pipe: pipeWrite)
    }

    deinit {
        // Unsubscribe first: after that the inotify reader never writes to the pipe.
        if let subscription { DirectoryWatch.shared.unsubscribe(subscription) }
        Glibc.close(pipeRead)
        Glibc.close(pipeWrite)
    }

    /// Wakes a ``wait(untilMilliseconds:)`` in another thread. Safe from any
    /// thread; a full pipe already means "wake up".
    func poke() {
        var byte: UInt8 = 1
        _ = SystemErrno.retrying { write(pipeWrite, &byte, 1) }
    }

    /// Blocks until a poke, a change to the database files, or the wall-clock
    /// `deadline` (milliseconds), whichever is first.
    func wait(untilMilliseconds deadline: Int64) {
        var descriptor = pollfd(fd: pipeRead, events: Int16(POLLIN), revents: 0)
        while true {
            let remaining = max(0, min(deadline - WallClock.nowMilliseconds(), Int64(Int32.max)))
            let ready = poll(&descriptor, 1, Int32(remaining))
            if ready < 0 && errno == EINTR { continue }
            break
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(pipeRead, &buffer, buffer.count) > 0 {}
    }
}
