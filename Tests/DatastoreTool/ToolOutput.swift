import Glibc

/// Unbuffered output: a watch line must reach the reading process the
/// moment it is written, not when a stdio buffer fills.
enum ToolOutput {
    /// Writes `text` and a newline to stdout.
    static func line(_ text: String) { write(STDOUT_FILENO, text + "\n") }

    /// Writes `text` and a newline to stderr.
    static func error(_ text: String) { write(STDERR_FILENO, text + "\n") }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
