internal import Glibc

/// Where `wgmesh wg` writes: stdout for what wg prints there, stderr for
/// everything else, through raw file descriptors so nothing sits in a buffer.
enum WGOutput {
    /// Writes `text` to stdout as it is.
    static func write(_ text: String) { writeAll(STDOUT_FILENO, text) }

    /// Writes `bytes` to stdout as they are.
    static func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeAll(STDOUT_FILENO, $0) }
    }

    /// Writes `text` to stderr as it is.
    static func writeError(_ text: String) { writeAll(STDERR_FILENO, text) }

    /// Writes `message` and a newline to stderr.
    static func printError(_ message: String) { writeAll(STDERR_FILENO, message + "\n") }

    /// The benchmark line, on stderr so stdout stays identical to wg's:
    /// printed only when `WGMESH_STATS=1`.
    static func reportMessages(_ count: Int) {
        guard let flag = getenv("WGMESH_STATS"), String(cString: flag) == "1" else { return }
        printError("wgmesh: sent \(count) messages")
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
