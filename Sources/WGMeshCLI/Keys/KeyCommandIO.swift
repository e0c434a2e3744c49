internal import Glibc

/// Standard input and output for the key commands, through plain file
/// descriptors: no Foundation, nothing buffered that could hold a secret.
enum KeyCommandIO {
    /// wg's warning, word for word, for when a key lands in a file others can read.
    static let worldAccessibleWarning =
        "Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n"

    /// Warns on stderr, as `wg genkey` does, when stdout is a regular file that
    /// other users can read, write or search.
    static func warnIfStandardOutputIsWorldAccessible() {
        var info = stat()
        guard fstat(STDOUT_FILENO, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFREG && info.st_mode & S_IRWXO != 0 {
            _ = writeAll(STDERR_FILENO, worldAccessibleWarning)
        }
    }

    /// Writes `line` and a newline to stdout, or says on stderr why it could not.
    static func printLine(_ line: String, command: String) -> Bool {
        if let problem = writeAll(STDOUT_FILENO, line + "\n") {
            printError("\(command): cannot write to standard output: \(problem)")
            return false
        }
        return true
    }

    /// Writes `message` and a newline to stderr.
    static func printError(_ message: String) {
        _ = writeAll(STDERR_FILENO, message + "\n")
    }

    /// Reads from stdin until `buffer` is full or the input ends; returns the count.
    static func readStandardInput(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = read(STDIN_FILENO, buffer.baseAddress! + filled, buffer.count - filled)
            if count > 0 {
                filled += count
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return filled
    }

    /// Writes all of `text` to `fd`; returns strerror's text on failure.
    private static func writeAll(_ fd: Int32, _ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var offset = 0
            while offset < bytes.count {
                let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count >= 0 {
                    offset += count
                } else if errno != EINTR {
                    return String(cString: strerror(errno))
                }
            }
            return nil
        }
    }
}
