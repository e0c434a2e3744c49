internal import Dispatch
internal import Glibc
import Synchronization
import WGMeshCore
import WGMeshResources

/// Serves the control socket: one request line, one JSON reply, close.
///
/// The socket is created 0600 (root's commands only) in a 0755 folder made
/// if missing; a stale socket left by a dead daemon is replaced, a live one
/// (another daemon answering) is an error.
public final class ControlServer: @unchecked Sendable {
    /// The socket path.
    public let path: String
    private let handlers: ControlHandlers

    /// The longest request line read; every request is a word or two.
    static let requestLimit = 4096
    /// How long a client may take to send its line, and to read the reply.
    static let requestTimeoutMilliseconds: Int64 = 2000
    /// How often the accept loop looks at the stop flag: the bound on how
    /// long a cancelled run() takes to return.
    static let pollMilliseconds: Int32 = 100

    /// Creates a server that answers `info` and `ping` itself and every
    /// other request word from `handlers.commands`.
    public init(path: String, handlers: ControlHandlers) {
        self.path = path
        self.handlers = handlers
    }

    /// Creates a server that answers `info` with what `info` returns now.
    public convenience init(path: String, info: @escaping @Sendable () -> DaemonInfo) {
        self.init(path: path, handlers: ControlHandlers(info: info))
    }

    /// Binds and serves until the task is cancelled; removes the socket after.
    public func run() async throws {
        let listener = try ControlSocketFile(path: path).bind()
        defer { unlink(path) }
        let stop = StopFlag()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                // accept and poll block: they get a thread of their own, never the cooperative pool.
                DispatchQueue(label: "wgmesh.control-socket").async {
                    self.serve(listener, until: stop)
                    done.resume()
                }
            }
        } onCancel: {
            stop.set()
        }
    }

    /// Accepts and answers connections, one at a time, until `stop` is set.
    private func serve(_ listener: ControlSocket, until stop: StopFlag) {
        while !stop.isSet {
            guard case .success(true) = listener.wait(for: Int16(POLLIN), milliseconds: Self.pollMilliseconds) else {
                continue
            }
            guard case .success(let fd) = SystemErrno.retrying({ accept(listener.fd, nil, nil) }) else { continue }
            let connection = ControlSocket(fd: fd)
            // Non-blocking, so a client that stops reading cannot stall a send past its deadline.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            answer(connection)
        }
    }

    /// Reads one request line and writes one reply line.
    private func answer(_ connection: ControlSocket) {
        let deadline = ControlSocket.monotonicMilliseconds() + Self.requestTimeoutMilliseconds
        let (bytes, end) = connection.readLine(limit: Self.requestLimit, deadline: deadline)
        let reply: JSONValue
        switch end {
        case .newline:
            reply = self.reply(to: String(decoding: bytes, as: UTF8.self))
        case .endOfFile where !bytes.isEmpty:
            // A client that shut down its write side without a newline still gets its answer.
            reply = self.reply(to: String(decoding: bytes, as: UTF8.self))
        case .tooLong:
            reply = ["error": .string("request longer than \(Self.requestLimit) bytes: send \(handlers.known)")]
        default:
            // Timed out, failed, or closed without a word: nobody is there to read an answer.
            return
        }
        // A command may have taken a while (a rotation writes to the datastore): the reply gets its own time.
        let replyDeadline = ControlSocket.monotonicMilliseconds() + Self.requestTimeoutMilliseconds
        connection.writeAll(JSONWriter.write(reply) + [UInt8(ascii: "\n")], deadline: replyDeadline)
    }

    /// The answer to one request line.
    func reply(to line: String) -> JSONValue {
        let request = line.trimmingWhitespace
        let word = String(request.prefix { $0 != " " })
        let argument = String(request.dropFirst(word.count)).trimmingWhitespace
        switch word {
        case "info": return handlers.info().json
        case "ping": return ["ok": true]
        default:
            guard let command = handlers.commands[word] else {
                let shown = request.count > 64 ? String(request.prefix(64)) + "..." : request
                return ["error": .string("unknown request '\(shown)': use \(handlers.known)")]
            }
            return Self.waitFor { await command(argument) }
        }
    }

    /// Runs an async command from the accept thread and waits for it: the
    /// thread is the server's own (never the cooperative pool's), and one
    /// request at a time is the server's rule anyway.
    private static func waitFor(_ body: @escaping @Sendable () async -> JSONValue) -> JSONValue {
        let result = Mutex<JSONValue?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 } ?? ["error": "the command ended without an answer"]
    }
}

/// Set once, from any thread, to stop the accept loop.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

extension String {
    /// The string without leading or trailing spaces, tabs, CR or LF.
    var trimmingWhitespace: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
