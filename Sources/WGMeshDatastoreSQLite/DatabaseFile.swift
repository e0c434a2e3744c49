import Glibc
import WGMeshCore
import WGMeshDatastore

/// Makes sure the database file exists before SQLite opens it, so it is
/// created owner-only (0600, in a 0700 directory if that is new): it holds
/// every node's records.
enum DatabaseFile {
    /// Creates missing parent directories and the file (unless `create` is
    /// false: then a missing file is an error); refuses a path whose parent
    /// is a file, or that names a directory.
    static func prepare(path: String, create: Bool = true) throws(DatastoreError) {
        guard !path.isEmpty else {
            throw DatastoreError(.invalidConfiguration, "the SQLite datastore path is empty: give a file name")
        }
        var info = stat()
        if !create, stat(path, &info) != 0 {
            throw DatastoreError(
                .invalidConfiguration,
                "there is no SQLite datastore at \(path): check --datastore or $WGMESH_DATASTORE (wgmeshd creates the "
                    + "file on its first start; the default is sqlite:///var/lib/wgmesh/datastore.db)")
        }
        try makeDirectories(parent(of: path), for: path)
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw DatastoreError(
                    .invalidConfiguration,
                    "cannot use \(path) as the SQLite datastore: it is not a regular file; give a file path")
            }
            return
        }
        let created = SystemErrno.retrying { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        switch created {
        case .success(let fd):
            close(fd)
        case .failure(let failure) where failure.rawValue == EEXIST:
            return  // another process created it first
        case .failure(let failure):
            throw DatastoreError(
                .unavailable, "cannot create the SQLite datastore \(path): \(failure); check the directory's permissions")
        }
    }

    /// The directory part of `path` ("." for a bare name).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// Creates `directory` and its missing ancestors with mode 0700.
    private static func makeDirectories(_ directory: String, for path: String) throws(DatastoreError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw DatastoreError(
                    .invalidConfiguration,
                    "cannot open the SQLite datastore \(path): \(directory) is not a directory; choose another path")
            }
            return
        }
        let code = errno
        guard code == ENOENT else {
            throw DatastoreError(
                .unavailable, "cannot open the SQLite datastore \(path): \(directory): \(SystemErrno(code))")
        }
        let above = parent(of: directory)
        if above != directory { try makeDirectories(above, for: path) }
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw DatastoreError(
                .unavailable,
                "cannot create the directory \(directory) for the SQLite datastore: \(SystemErrno(errno)); "
                    + "create it or choose another path")
        }
    }
}
