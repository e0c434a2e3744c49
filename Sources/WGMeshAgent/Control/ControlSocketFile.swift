internal import Glibc
import WGMeshCore

/// The control socket's place on disk: its folder made, a stale socket
/// cleared, and the new one bound and made root-only.
struct ControlSocketFile {
    /// The socket path.
    var path: String

    /// Binds and listens at `path`: creates the folder (0755) when missing,
    /// refuses when another daemon answers there, replaces a dead one's
    /// socket, and makes the socket 0600.
    func bind() throws -> ControlSocket {
        guard ControlSocket.address(path) != nil else {
            throw AgentError(.controlSocket,
                             "the control socket path \(path) is empty or longer than \(ControlSocket.maximumPathLength) "
                                 + "bytes: use a shorter --control-socket")
        }
        try makeParent()
        try clearStale()
        let listener: ControlSocket
        switch ControlSocket.listen(at: path) {
        case .success(let socket): listener = socket
        case .failure(let error) where error.rawValue == EADDRINUSE:
            // Another daemon bound it between our check and our bind.
            throw running()
        case .failure(let error):
            throw AgentError(.controlSocket, "cannot listen on the control socket \(path): \(error); "
                + "check that its folder is writable by root, or use --control-socket")
        }
        // Until this chmod the socket has the umask's mode; connecting needs
        // write permission, which the usual 022 umask already denies others.
        if case .failure(let error) = SystemErrno.retrying({ chmod(path, 0o600) }) {
            unlink(path)
            throw AgentError(.controlSocket, "cannot make the control socket \(path) root-only: \(error); "
                + "check the file system it is on, or use --control-socket")
        }
        return listener
    }

    /// The error for a socket someone answers on.
    private func running() -> AgentError {
        AgentError(.controlSocket, "another wgmeshd is running (\(path) answers): stop it or use --control-socket")
    }

    /// Creates the socket's folder and its parents (0755) when missing.
    private func makeParent() throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let folder = path[..<slash]
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            switch SystemErrno.retrying({ mkdir(prefix, 0o755) }) {
            case .success: continue
            case .failure(let error) where error.rawValue == EEXIST: continue
            case .failure(let error):
                throw AgentError(.controlSocket, "cannot create \(prefix) for the control socket \(path): \(error); "
                    + "run as root or use --control-socket")
            }
        }
    }

    /// Removes a socket nobody answers on (its daemon died); refuses a live
    /// one, and anything that is not a socket (we never delete a user's file).
    private func clearStale() throws {
        var info = stat()
        switch SystemErrno.retrying({ lstat(path, &info) }) {
        case .failure(let error) where error.rawValue == ENOENT: return
        case .failure(let error):
            throw AgentError(.controlSocket, "cannot inspect the control socket \(path): \(error); "
                + "check the path or use --control-socket")
        case .success: break
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw AgentError(.controlSocket, "\(path) exists and is not a socket: move it away or use --control-socket")
        }
        switch ControlSocket.connect(to: path) {
        case .success: throw running()
        case .failure(let error) where error.rawValue == ECONNREFUSED || error.rawValue == ENOENT:
            if case .failure(let error) = SystemErrno.retrying({ unlink(path) }), error.rawValue != ENOENT {
                throw AgentError(.controlSocket, "cannot remove the stale control socket \(path): \(error); "
                    + "remove it by hand or use --control-socket")
            }
        case .failure(let error):
            throw AgentError(.controlSocket, "cannot check whether a wgmeshd answers on \(path): \(error); "
                + "remove the socket if no wgmeshd runs, or use --control-socket")
        }
    }
}
