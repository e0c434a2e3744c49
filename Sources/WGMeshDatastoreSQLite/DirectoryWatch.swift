import Glibc
import Synchronization
import WGMeshCore
import WGMeshDatastore

/// One inotify instance for the whole process, shared by every open store.
///
/// The kernel allows only 128 inotify instances per user by default, and a
/// test run or a busy host opens many stores; one instance and one reader
/// thread per process keeps wgmesh far from that limit. The reader wakes a
/// store by writing a byte to its pipe.
final class DirectoryWatch: Sendable {
    /// The process-wide instance, started on first use.
    static let shared = DirectoryWatch()

    private struct Subscriber {
        /// The file names that matter in the watched directory.
        var names: Set<[UInt8]>
        /// The write end of the store's wake-up pipe.
        var pipe: Int32
    }

    private struct State {
        var fd: Int32 = -1
        var started = false
        var nextID: UInt64 = 0
        /// Subscribers by watch descriptor: stores in one directory share it.
        var watches: [Int32: [UInt64: Subscriber]] = [:]
    }

    private let state = Mutex(State())

    /// Starts waking `pipe` when one of `names` in `directory` changes.
    /// Returns a token for ``unsubscribe(_:)``.
    func subscribe(directory: String, names: Set<[UInt8]>, pipe: Int32) throws(DatastoreError) -> (Int32, UInt64) {
        try state.withLock { (state: inout State) throws(DatastoreError) -> (Int32, UInt64) in
            if state.fd < 0 {
                state.fd = inotify_init1(Int32(IN_CLOEXEC))
                guard state.fd >= 0 else {
                    throw DatastoreError(
                        .unavailable, "cannot watch \(directory) for changes: inotify_init1: \(SystemErrno(errno)) "
                            + "(raise fs.inotify.max_user_instances)")
                }
            }
            // IN_ATTRIB catches the writers' post-commit touch of the WAL
            // (``SQLiteConnection/announceCommit()``).
            let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_ATTRIB)
            let wd = inotify_add_watch(state.fd, directory, mask)
            guard wd >= 0 else {
                throw DatastoreError(
                    .unavailable, "cannot watch \(directory) for changes: inotify_add_watch: \(SystemErrno(errno)) "
                        + "(raise fs.inotify.max_user_watches)")
            }
            state.nextID += 1
            state.watches[wd, default: [:]][state.nextID] = Subscriber(names: names, pipe: pipe)
            if !state.started {
                state.started = true
                try Self.startReader(fd: state.fd, owner: self)
            }
            return (wd, state.nextID)
        }
    }

    /// Stops waking a store's pipe; when this returns, the pipe will not be
    /// written again, so the caller may close it.
    func unsubscribe(_ token: (Int32, UInt64)) {
        state.withLock { state in
            let (wd, id) = token
            state.watches[wd]?.removeValue(forKey: id)
            if state.watches[wd]?.isEmpty == true {
                state.watches[wd] = nil
                _ = inotify_rm_watch(state.fd, wd)
            }
        }
    }

    /// Wakes the subscribers of `wd` that care about `name`, or all of them
    /// when the kernel's queue overflowed (wd -1) and events were lost.
    private func dispatch(wd: Int32, name: [UInt8], overflow: Bool) {
        state.withLock { state in
            let groups = overflow ? Array(state.watches.values) : state.watches[wd].map { [$0] } ?? []
            for group in groups {
                for subscriber in group.values where overflow || subscriber.names.contains(name) {
                    var byte: UInt8 = 1
                    _ = write(subscriber.pipe, &byte, 1)  // a full pipe already means "wake up"
                }
            }
        }
    }

    private static func startReader(fd: Int32, owner: DirectoryWatch) throws(DatastoreError) {
        let context = Unmanaged.passRetained(ReaderContext(fd: fd, owner: owner)).toOpaque()
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { argument in
            let context = Unmanaged<ReaderContext>.fromOpaque(argument!).takeRetainedValue()
            context.owner.readForever(fd: context.fd)
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<ReaderContext>.fromOpaque(context).release()
            throw DatastoreError(.unavailable, "cannot start the datastore's inotify thread: error \(rc)")
        }
        pthread_detach(handle)
    }

    /// The reader thread: blocks in `read` for the life of the process.
    private func readForever(fd: Int32) {
        // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[]; }
        let headerSize = 16
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            var offset = 0
            while offset + headerSize <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameStart = offset + headerSize
                let name = Array(buffer[nameStart..<min(nameStart + length, count)].prefix { $0 != 0 })
                dispatch(wd: wd, name: name, overflow: mask & UInt32(IN_Q_OVERFLOW) != 0)
                offset = nameStart + length
            }
        }
    }
}

/// What the reader thread needs, passed through `pthread_create`'s pointer.
private final class ReaderContext {
    let fd: Int32
    let owner: DirectoryWatch
    init(fd: Int32, owner: DirectoryWatch) {
        self.fd = fd
        self.owner = owner
    }
}
