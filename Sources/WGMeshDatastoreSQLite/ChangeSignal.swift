import Glibc
import WGMeshCore
import WGMeshDatastore

/// What wakes the watcher thread: inotify on the database's directory (for
/// other processes' commits), a pipe (for this process's), and a timeout.
///
/// Owns both descriptors and closes them in `deinit`.
final class ChangeSignal {
    private let inotifyFD: Int32
    private let pipeRead: Int32
    private let pipeWrite: Int32
    /// The file names whose changes matter: the database and its WAL.
    private let names: Set<[UInt8]>

    /// Watches the directory holding `path`.
    init(path: String) throws(DatastoreError) {
        let directory = DatabaseFile.parent(of: path)
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        names = [Array(base.utf8), Array((base + "-wal").utf8)]
        inotifyFD = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotifyFD >= 0 else {
            throw DatastoreError(
                .unavailable, "cannot watch \(directory) for changes: inotify_init1: \(SystemErrno(errno)) "
                    + "(raise fs.inotify.max_user_instances)")
        }
        // IN_ATTRIB catches the writers' post-commit touch of the WAL
        // (``SQLiteConnection/announceCommit()``).
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_ATTRIB)
        guard inotify_add_watch(inotifyFD, directory, mask) >= 0 else {
            let code = errno
            Glibc.close(inotifyFD)
            throw DatastoreError(
                .unavailable, "cannot watch \(directory) for changes: inotify_add_watch: \(SystemErrno(code)) "
                    + "(raise fs.inotify.max_user_watches)")
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            let code = errno
            Glibc.close(inotifyFD)
            throw DatastoreError(.unavailable, "cannot create the watcher's wake-up pipe: \(SystemErrno(code))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        pipeRead = fds[0]
        pipeWrite = fds[1]
    }

    deinit {
        Glibc.close(inotifyFD)
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
        while true {
            let remaining = max(0, min(deadline - WallClock.nowMilliseconds(), Int64(Int32.max)))
            var fds = [
                pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: pipeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, Int32(remaining))
            if ready == 0 { return }
            if ready < 0 {
                if errno == EINTR { continue }
                return  // cannot happen with valid descriptors; the caller re-checks anyway
            }
            let poked = fds[1].revents != 0 && drainPipe()
            let changed = fds[0].revents != 0 && drainInotify()
            if poked || changed { return }
        }
    }

    private func drainPipe() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var any = false
        while read(pipeRead, &buffer, buffer.count) > 0 { any = true }
        return any
    }

    /// Reads every queued inotify event; true when one names our files.
    private func drainInotify() -> Bool {
        // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[]; }
        let headerSize = 16
        var buffer = [UInt8](repeating: 0, count: 8192)
        var relevant = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
            guard count > 0 else { return relevant }
            var offset = 0
            while offset + headerSize <= count {
                let length = buffer.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
                let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                let nameStart = offset + headerSize
                let nameBytes = buffer[nameStart..<min(nameStart + length, count)].prefix { $0 != 0 }
                // An overflowed queue lost events: treat it as a change.
                if mask & UInt32(IN_Q_OVERFLOW) != 0 || names.contains(Array(nameBytes)) { relevant = true }
                offset = nameStart + length
            }
        }
    }
}
