import Glibc
public import WGMeshCore

/// The public keys of the peers the dataplane programmed, kept in
/// `<stateDirectory>/peers`, one base64 key per line.
///
/// It is how a restarted wgmeshd tells its own peers (which it may remove)
/// from peers someone added by hand with `wg set` (which it must leave).
/// Written 0600 through a temporary file and a rename, so a crash leaves the
/// old list or the new one, never half of one.
public struct OwnedPeerFile: Sendable {
    /// The file's path.
    public let path: String

    /// The file `peers` in `stateDirectory`.
    public init(stateDirectory: String) {
        path = (stateDirectory.hasSuffix("/") ? String(stateDirectory.dropLast()) : stateDirectory) + "/peers"
    }

    /// The keys in the file; empty when there is no file yet.
    public func read() throws(AgentError) -> Set<WireGuardKey> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return [] }
            throw AgentError(.stateDirectory, "cannot read \(path): \(SystemErrno(code)); check the state directory's permissions")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let result = chunk.withUnsafeMutableBytes { raw in SystemErrno.retrying { Glibc.read(fd, raw.baseAddress, raw.count) } }
            switch result {
            case .success(0): return try parse(bytes)
            case .success(let count): bytes += chunk[0..<count]
            case .failure(let error):
                throw AgentError(.stateDirectory, "cannot read \(path): \(error); check the state directory's permissions")
            }
        }
    }

    /// Replaces the file with `keys`, sorted, mode 0600, atomically; creates the
    /// state directory (0700) when it is missing.
    public func write(_ keys: Set<WireGuardKey>) throws(AgentError) {
        let directory = String(path.dropLast("/peers".count))
        if !directory.isEmpty, mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw AgentError(.stateDirectory, "cannot create \(directory): \(SystemErrno(errno)); create it or pass another --state-dir")
        }
        let text = keys.sorted().map { $0.base64 + "\n" }.joined()
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AgentError(.stateDirectory, "cannot write \(temporary): \(SystemErrno(errno)); check that \(directory) is writable")
        }
        var failure: SystemErrno?
        // The umask may have narrowed 0600 further, never widened it; fchmod makes it exact.
        if fchmod(fd, 0o600) != 0 { failure = SystemErrno(errno) }
        let bytes = Array(text.utf8)
        var offset = 0
        while failure == nil, offset < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                SystemErrno.retrying { Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            }
            switch result {
            case .success(let count): offset += count
            case .failure(let error): failure = error
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = SystemErrno(errno) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = SystemErrno(errno) }
        if let failure {
            unlink(temporary)
            throw AgentError(.stateDirectory, "cannot write \(path): \(failure); check that \(directory) is writable and not full")
        }
    }

    /// Deletes the file; returns whether there was one.
    @discardableResult
    public func remove() throws(AgentError) -> Bool {
        if unlink(path) == 0 { return true }
        let code = errno
        if code == ENOENT { return false }
        throw AgentError(.stateDirectory, "cannot delete \(path): \(SystemErrno(code)); delete it by hand")
    }

    private func parse(_ bytes: [UInt8]) throws(AgentError) -> Set<WireGuardKey> {
        var keys: Set<WireGuardKey> = []
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let text = line.trimmingWhitespace()
            if text.isEmpty { continue }
            do {
                keys.insert(try WireGuardKey(base64: text))
            } catch {
                throw AgentError(
                    .stateDirectory,
                    "line \(number + 1) of \(path) is not a WireGuard public key (\(error)); fix the line, or delete the file (wgmesh then leaves the peers it made as if they were foreign)")
            }
        }
        return keys
    }
}
