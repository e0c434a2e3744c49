internal import Glibc
public import WGMeshDatastore

/// Password files: the password on the first line, readable by the owner only.
///
/// The rule is the one key files follow: a file that group or other users can
/// read, a symbolic link, or something that is not a regular file is refused,
/// because a password anyone can read protects nothing.
public enum PasswordFile {
    /// The largest file we read; a password with generous whitespace fits.
    static let maximumSize = 4096

    /// The password held in the file at `path`, without its trailing newline.
    public static func read(at path: String) throws(DatastoreError) -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = errno
            if error == ELOOP {
                throw refuse(path, "is a symbolic link, which we do not follow: give the path of the file itself")
            }
            if error == ENOENT {
                throw refuse(path, "does not exist: create it with (umask 077; printf '%s\\n' PASSWORD > \(path))")
            }
            throw refuse(path, "cannot be opened: \(String(cString: strerror(error)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw refuse(path, "cannot be inspected: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw refuse(path, "is not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw refuse(path, "is readable by other users (mode \(String(info.st_mode & 0o7777, radix: 8))): run chmod 600 \(path)")
        }
        guard info.st_size <= maximumSize else {
            throw refuse(path, "is \(info.st_size) bytes, too large for a password: check the path")
        }
        var bytes = [UInt8](repeating: 0, count: maximumSize)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count > 0 {
                filled += count
            } else if count == 0 {
                break
            } else if errno != EINTR {
                throw refuse(path, "cannot be read: \(String(cString: strerror(errno)))")
            }
        }
        // The first line is the password; a trailing newline (from echo or an
        // editor) is not part of it.
        var line = bytes[0..<filled]
        if let newline = line.firstIndex(of: UInt8(ascii: "\n")) { line = line[..<newline] }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard !line.isEmpty else { throw refuse(path, "is empty: put the password on its first line") }
        guard let password = String(validating: line, as: UTF8.self) else {
            throw refuse(path, "does not hold UTF-8 text")
        }
        return password
    }

    private static func refuse(_ path: String, _ problem: String) -> DatastoreError {
        DatastoreError(.invalidConfiguration, "password file \(path) \(problem)")
    }
}
