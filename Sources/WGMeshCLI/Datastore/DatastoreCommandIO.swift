internal import ArgumentParser
internal import Glibc
internal import WGMeshDatastore
internal import WGMeshResources

/// Output, errors and input for the datastore commands.
enum DatastoreCommandIO {
    /// Runs a command's async body; a failure is printed as `Error: reason`
    /// on stderr and the command exits with status 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("Error: " + message(for: error))
            throw ExitCode.failure
        }
    }

    /// The operator's sentence for an error from any layer.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as DatastoreError: error.reason
        case let error as ResourceError: error.description
        default: "\(error)"
        }
    }

    /// Writes `text` to stdout as it is.
    static func write(_ text: String) throws {
        if let problem = writeAll(STDOUT_FILENO, text) {
            throw CommandFailure("cannot write to standard output: \(problem)")
        }
    }

    /// Writes `message` and a newline to stderr.
    static func printError(_ message: String) {
        _ = writeAll(STDERR_FILENO, message + "\n")
    }

    /// Reports records the store skipped as bad, without failing the command:
    /// one bad record written behind the CLI's back must not hide the rest.
    static func warn(about rejected: [RejectedRecord]) {
        for record in rejected {
            printError("Warning: skipped bad record \(record.key) (revision \(record.modRevision)): \(record.reason)")
        }
    }

    /// The largest input `apply` reads: far more than 100 resources need.
    static let maximumInput = 16 << 20

    /// The bytes of `path`, or of stdin for `-`.
    static func readInput(_ path: String) throws -> [UInt8] {
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CommandFailure("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[0..<count]
                guard bytes.count <= maximumInput else {
                    throw CommandFailure("\(path == "-" ? "standard input" : path) is larger than 16 MiB: split it")
                }
            } else if count == 0 {
                return bytes
            } else if errno != EINTR {
                throw CommandFailure("cannot read \(path == "-" ? "standard input" : path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes all of `text` to `fd`; returns strerror's text on failure.
    private static func writeAll(_ fd: Int32, _ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
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

/// A datastore command's own failure: the sentence is printed after `Error: `.
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    var description: String

    /// Creates a failure with a sentence for the operator.
    init(_ description: String) { self.description = description }
}
