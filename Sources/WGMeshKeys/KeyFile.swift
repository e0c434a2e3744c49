internal import Glibc
public import WGMeshCore

/// Key files: one base64 key and a newline, readable by the owner only.
///
/// Writing is atomic (a reader sees the old key or the new one, never half a
/// key, even after a crash), and the file is mode 0600 whatever the umask.
/// Reading refuses anything an attacker could have swapped in or read: files
/// open to group or others, symbolic links, and things that are not files.
public enum KeyFile {
    /// The largest key file we read; one key with generous whitespace fits.
    static let maximumSize = 4096

    /// Reads the secret held in the key file at `path`.
    public static func read(at path: String) throws(KeyError) -> SecretKey {
        let fd = try openForReading(path)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maximumSize, alignment: 1)
        defer {
            // The buffer held the secret's text; wipe it before it goes back to malloc.
            explicit_bzero(buffer.baseAddress!, buffer.count)
            buffer.deallocate()
        }
        var filled = 0
        while filled < buffer.count {
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            switch SystemErrno.retrying({ Glibc.read(fd, chunk.baseAddress, chunk.count) }) {
            case .success(0): break
            case .success(let count): filled += count; continue
            case .failure(let error):
                throw KeyError(.system, file: path, errno: error.rawValue,
                               "cannot read key file \(path): \(error)")
            }
            break
        }
        guard filled > 0 else {
            throw KeyError(.malformed, file: path,
                           "key file \(path) is empty: put one key in it, e.g. (umask 077; wgmesh genkey > \(path))")
        }
        do {
            return try KeyText.secret(from: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
        } catch {
            throw KeyError(error.code, file: path, "key file \(path) does not hold one key: \(error.reason)")
        }
    }

    /// Reads the key file at `path` as a WireGuard private key.
    public static func readPrivateKey(at path: String) throws(KeyError) -> Curve25519.KeyAgreement.PrivateKey {
        Curve25519.KeyAgreement.PrivateKey(secret: try read(at: path))
    }

    /// Writes `privateKey`'s secret to `path`, replacing any file there atomically.
    public static func write(_ privateKey: Curve25519.KeyAgreement.PrivateKey, to path: String) throws(KeyError) {
        try write(privateKey.secret, to: path)
    }

    /// Writes `secret` to `path` as base64 and a newline, mode 0600, atomically.
    public static func write(_ secret: SecretKey, to path: String) throws(KeyError) {
        let directory = directoryName(of: path)
        let (fd, temporaryPath) = try createTemporaryFile(next: path, in: directory)
        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }
        do {
            defer { close(fd) }
            // O_CREAT's mode is cut down by the umask; fchmod is not, so the mode is
            // exactly 0600 even under umask 0277 (owner could not write) or 000.
            try check(SystemErrno.retrying { fchmod(fd, 0o600) }, "set the mode of", temporaryPath)
            try writeAll(fd, secret.base64EncodedSecret() + "\n", path: temporaryPath)
            // Data reaches the disk before the rename makes it visible.
            try check(SystemErrno.retrying { fsync(fd) }, "flush", temporaryPath)
        }
        try check(SystemErrno.retrying { rename(temporaryPath, path) }, "replace", path)
        renamed = true
        // The rename itself is only durable once the directory is flushed.
        let directoryFD = try check(
            SystemErrno.retrying { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }, "open the directory", directory)
        defer { close(directoryFD) }
        try check(SystemErrno.retrying { fsync(directoryFD) }, "flush the directory", directory)
    }

    /// Opens `path` without following a final symbolic link, and checks it is
    /// a regular file that only its owner can read.
    private static func openForReading(_ path: String) throws(KeyError) -> Int32 {
        // O_NONBLOCK so that a FIFO put in place of the key cannot hang us;
        // it changes nothing for a regular file.
        let opened = SystemErrno.retrying { open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        let fd: Int32
        switch opened {
        case .success(let value): fd = value
        case .failure(let error) where error.rawValue == ENOENT:
            throw KeyError(.notFound, file: path, errno: error.rawValue,
                           "key file \(path) does not exist: create it with (umask 077; wgmesh genkey > \(path))")
        case .failure(let error) where error.rawValue == ELOOP && isSymbolicLink(path):
            throw KeyError(.symbolicLink, file: path, errno: error.rawValue,
                           "key file \(path) is a symbolic link, which we do not follow: give the path of the file itself")
        case .failure(let error):
            throw KeyError(.system, file: path, errno: error.rawValue, "cannot open key file \(path): \(error)")
        }
        var info = stat()
        if case .failure(let error) = SystemErrno.retrying({ fstat(fd, &info) }) {
            close(fd)
            throw KeyError(.system, file: path, errno: error.rawValue, "cannot inspect key file \(path): \(error)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw KeyError(.notRegularFile, file: path,
                           "key file \(path) is not a regular file (\(kindName(info.st_mode))): give the path of a file holding one key")
        }
        guard info.st_mode & 0o077 == 0 else {
            close(fd)
            throw KeyError(.insecurePermissions, file: path,
                           "key file \(path) is readable by other users (mode \(octalMode(info.st_mode))): run chmod 600 \(path)")
        }
        guard info.st_size <= maximumSize else {
            close(fd)
            throw KeyError(.malformed, file: path,
                           "key file \(path) is \(info.st_size) bytes, too large to hold one key: check the path")
        }
        return fd
    }

    /// Creates an empty file beside `target` that nobody else can have opened.
    private static func createTemporaryFile(next target: String, in directory: String) throws(KeyError) -> (Int32, String) {
        let base = target.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? target
        var lastError = SystemErrno(EEXIST)
        // O_EXCL fails if the name exists; a random suffix makes a clash a matter
        // of chance, so a few attempts are enough.
        attempts: for _ in 0..<8 {
            var suffix: UInt64 = 0
            withUnsafeMutableBytes(of: &suffix) { Sodium.fillRandom($0) }
            let candidate = (directory == "/" ? "" : directory) + "/.\(base).\(String(suffix, radix: 16)).tmp"
            switch SystemErrno.retrying({ open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) }) {
            case .success(let fd): return (fd, candidate)
            case .failure(let error):
                lastError = error
                if error.rawValue != EEXIST { break attempts }
            }
        }
        throw KeyError(.system, file: target, errno: lastError.rawValue,
                       "cannot create a temporary file in \(directory) to write key file \(target): \(lastError)")
    }

    /// Writes all of `text`, continuing after short writes.
    private static func writeAll(_ fd: Int32, _ text: String, path: String) throws(KeyError) {
        var text = text
        let result: Result<Int, SystemErrno> = text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var offset = 0
            while offset < bytes.count {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
                switch SystemErrno.retrying({ Glibc.write(fd, rest.baseAddress, rest.count) }) {
                case .success(let count): offset += count
                case .failure(let error): return .failure(error)
                }
            }
            return .success(offset)
        }
        try check(result, "write", path)
    }

    /// Returns the value of a successful call, or throws a `.system` error that
    /// says which action failed on which path.
    @discardableResult
    private static func check<T>(_ result: Result<T, SystemErrno>, _ action: String, _ path: String) throws(KeyError) -> T {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            throw KeyError(.system, file: path, errno: error.rawValue, "cannot \(action) \(path): \(error)")
        }
    }

    private static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// The folder holding `path`, for the temporary file and the directory fsync.
    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The permission bits as `ls -l` users know them, e.g. "0644".
    static func octalMode(_ mode: mode_t) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a file"
        }
    }
}
