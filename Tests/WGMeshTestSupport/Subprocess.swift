import Glibc

/// Shared by every test target that runs a real tool (`wg`, `wgmesh`).
///
/// What a finished child process wrote and how it exited.
public struct ProcessResult: Sendable {
    /// The exit status, or 128 + signal when killed.
    public var status: Int32
    /// Everything written to stdout.
    public var standardOutput: String
    /// Everything written to stderr.
    public var standardError: String
}

/// Runs a program with posix_spawn, feeding `input` on stdin and collecting
/// stdout and stderr through pipes. `stdoutPath`, when set, sends stdout to
/// that (existing) file instead, for the world-accessible-file warning.
public func runProcess(_ path: String, _ arguments: [String], input: [UInt8] = [], stdoutPath: String? = nil) throws
    -> ProcessResult
{
    // Close-on-exec on every pipe end: tests run in parallel, and a child of
    // another test must not inherit our write ends, or our reads would never
    // see EOF. (pipe2 is not visible through Glibc's module, so set it right
    // after pipe; dup2 in the file actions clears it for the child's 0, 1, 2.)
    func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(reason: "pipe: errno \(errno)") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }
    let stdin = try makePipe(), stdout = try makePipe(), stderr = try makePipe()
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
    if let stdoutPath {
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_TRUNC, 0)
    } else {
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
    }
    posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)

    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    close(stdin.read)
    close(stdout.write)
    close(stderr.write)
    guard spawned == 0 else {
        close(stdin.write)
        close(stdout.read)
        close(stderr.read)
        throw SpawnError(reason: "posix_spawn \(path): \(String(cString: strerror(spawned)))")
    }
    // Inputs are tiny, far below the pipe buffer, so writing all before
    // reading cannot deadlock.
    input.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let count = write(stdin.write, bytes.baseAddress! + offset, bytes.count - offset)
            if count <= 0 { break }
            offset += count
        }
    }
    close(stdin.write)
    // Both at once: a child that fills the stderr pipe (64 KiB) while we wait for its stdout's
    // end would block forever (wgmeshd --cleanup of 10,000 routes prints a line for each).
    let (output, errors) = readBoth(stdout.read, stderr.read)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS are macros, so decode the status by hand.
    let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return ProcessResult(status: exitStatus, standardOutput: output, standardError: errors)
}

/// Reads two pipes to their ends, whichever has data first, and closes them.
private func readBoth(_ first: Int32, _ second: Int32) -> (String, String) {
    defer {
        close(first)
        close(second)
    }
    var collected: [[UInt8]] = [[], []]
    var open = [true, true]
    var chunk = [UInt8](repeating: 0, count: 65536)
    while open[0] || open[1] {
        var fds = [pollfd(fd: open[0] ? first : -1, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: open[1] ? second : -1, events: Int16(POLLIN), revents: 0)]
        if poll(&fds, 2, -1) < 0 {
            if errno == EINTR { continue }
            break
        }
        for index in 0..<2 where open[index] && fds[index].revents != 0 {
            let count = chunk.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
            if count > 0 {
                collected[index] += chunk[0..<count]
            } else if count == 0 || errno != EINTR {
                open[index] = false
            }
        }
    }
    return (String(decoding: collected[0], as: UTF8.self), String(decoding: collected[1], as: UTF8.self))
}

/// A child process could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    /// What failed, with errno's text.
    public var reason: String
    public var description: String { reason }
}
