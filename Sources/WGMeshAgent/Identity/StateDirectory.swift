internal import Glibc
import WGMeshCore

/// The folder holding the node's key and state: made private, and refused
/// when someone else could swap files in it.
enum StateDirectory {
    /// Creates `path` (mode 0700, parents 0755) when missing, then checks that
    /// it is a directory that belongs to us and that no other user can write.
    static func prepare(_ path: String) throws {
        guard !path.isEmpty else {
            throw AgentError(.stateDirectory, "the state directory is empty: pass --state-dir, e.g. /var/lib/wgmesh")
        }
        try makeDirectories(path)
        var info = stat()
        if case .failure(let error) = SystemErrno.retrying({ stat(path, &info) }) {
            throw AgentError(.stateDirectory, "cannot inspect the state directory \(path): \(error); check the path")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw AgentError(.stateDirectory,
                             "the state directory \(path) is not a directory: remove it or pass another --state-dir")
        }
        // Whoever can write the folder can replace the key file with theirs.
        guard info.st_uid == geteuid() else {
            throw AgentError(.stateDirectory,
                             "the state directory \(path) belongs to uid \(info.st_uid), not to us (uid \(geteuid())): "
                                 + "run chown \(geteuid()) \(path) && chmod 700 \(path)")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw AgentError(.stateDirectory,
                             "the state directory \(path) is writable by other users (mode \(octal(info.st_mode))): "
                                 + "run chmod 700 \(path)")
        }
    }

    /// mkdir -p: parents 0755, the last component 0700. The umask can only
    /// narrow these, which is fine: nothing here needs to be wider.
    private static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        let parts = path.split(separator: "/")
        for (index, part) in parts.enumerated() {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            let mode: mode_t = index == parts.count - 1 ? 0o700 : 0o755
            switch SystemErrno.retrying({ mkdir(prefix, mode) }) {
            case .success: continue
            case .failure(let error) where error.rawValue == EEXIST: continue
            case .failure(let error):
                throw AgentError(.stateDirectory,
                                 "cannot create the state directory \(path) (at \(prefix)): \(error); "
                                     + "run as root or pass a writable --state-dir")
            }
        }
    }

    /// The permission bits as `ls -l` users know them, e.g. "0777".
    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
