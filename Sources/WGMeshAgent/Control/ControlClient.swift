internal import Glibc
import WGMeshCore
public import WGMeshResources

/// Asks a running wgmeshd over its control socket.
public struct ControlClient: Sendable {
    /// The socket path.
    public let path: String
    /// How long the daemon may take to answer, in milliseconds.
    public var timeoutMilliseconds: Int64 = 5000

    /// The largest reply read: 64 MiB. A status reply takes about 310 bytes a peer (3.1 MB at
    /// 10,000 peers); this leaves room for 200,000.
    static let replyLimit = 64 << 20

    /// Creates a client for `path`.
    public init(path: String) { self.path = path }

    /// The daemon's ``DaemonInfo``; throws `.controlSocket` naming the path
    /// and saying to start wgmeshd when nobody answers.
    public func info() throws -> DaemonInfo {
        let reply = try request(.info)
        do {
            return try DaemonInfo(json: reply)
        } catch {
            throw AgentError(.controlSocket, "wgmeshd at \(path) sent a reply wgmesh cannot use (\(error.reason)): "
                + "make sure wgmesh and wgmeshd are the same version")
        }
    }

    /// Checks that the daemon answers; throws `.controlSocket` otherwise.
    public func ping() throws {
        let reply = try request(.ping)
        guard reply["ok"] == .bool(true) else {
            throw AgentError(.controlSocket, "wgmeshd at \(path) answered ping with \(clipped(reply)), not "
                + "{\"ok\":true}: make sure wgmesh and wgmeshd are the same version")
        }
    }

    /// Sends one request and returns the reply's result; a refusal becomes an AgentError with
    /// the daemon's words. `timeoutMilliseconds` overrides the client's for slow commands.
    public func request(_ request: ControlRequest, timeoutMilliseconds: Int64? = nil) throws -> JSONValue {
        switch try reply(to: request, timeoutMilliseconds: timeoutMilliseconds) {
        case .result(let result):
            return result
        case .failure(let error):
            throw AgentError(.controlSocket, "wgmeshd at \(path) refused '\(request.rawValue)': \(error.message)")
        }
    }

    /// Sends one request and returns the daemon's typed reply.
    public func reply(to request: ControlRequest, timeoutMilliseconds: Int64? = nil) throws -> ControlReply {
        try exchange(request.line, naming: request.rawValue, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Sends `line` as it is (tests send broken ones) and reads the typed reply.
    func exchange(_ line: [UInt8], naming name: String, timeoutMilliseconds: Int64? = nil) throws -> ControlReply {
        let timeoutMilliseconds = timeoutMilliseconds ?? self.timeoutMilliseconds
        let socket: ControlSocket
        switch ControlSocket.connect(to: path) {
        case .success(let connected): socket = connected
        case .failure(let error) where error.rawValue == ENOENT || error.rawValue == ECONNREFUSED:
            throw AgentError(.controlSocket, "wgmeshd is not running: nothing answers on \(path); start it "
                + "(systemctl start wgmeshd) or pass --control-socket")
        case .failure(let error) where error.rawValue == EACCES || error.rawValue == EPERM:
            throw AgentError(.controlSocket, "may not connect to \(path) (\(error)): the control socket is "
                + "root-only; run as root")
        case .failure(let error):
            throw AgentError(.controlSocket, "cannot connect to wgmeshd at \(path): \(error); "
                + "check the path or pass --control-socket")
        }
        _ = fcntl(socket.fd, F_SETFL, fcntl(socket.fd, F_GETFL) | O_NONBLOCK)
        let deadline = ControlSocket.monotonicMilliseconds() + timeoutMilliseconds
        guard socket.writeAll(line, deadline: deadline) else {
            throw AgentError(.controlSocket, "wgmeshd at \(path) did not take the request: check that it is "
                + "healthy (journalctl -u wgmeshd)")
        }
        let (bytes, end) = socket.readLine(limit: Self.replyLimit, deadline: deadline)
        switch end {
        case .newline: break
        case .endOfFile where !bytes.isEmpty: break
        case .endOfFile:
            throw AgentError(.controlSocket, "wgmeshd at \(path) closed the connection without an answer: "
                + "check its logs (journalctl -u wgmeshd)")
        case .timedOut:
            throw AgentError(.controlSocket, "wgmeshd at \(path) did not answer within "
                + "\(timeoutMilliseconds / 1000) s: check its logs (journalctl -u wgmeshd)")
        case .tooLong:
            throw AgentError(.controlSocket, "wgmeshd at \(path) sent a reply longer than \(Self.replyLimit) "
                + "bytes: make sure wgmesh and wgmeshd are the same version")
        case .failed(let error):
            throw AgentError(.controlSocket, "cannot read the reply of wgmeshd at \(path): \(error); try again")
        }
        do {
            return try ControlReply(line: bytes, limit: Self.replyLimit)
        } catch {
            throw AgentError(.controlSocket, "wgmeshd at \(path) sent \(error.message) to '\(name)': make sure the path "
                + "is wgmeshd's control socket and wgmesh and wgmeshd are the same version")
        }
    }

    /// A reply for an error message, cut short.
    private func clipped(_ value: JSONValue) -> String {
        let text = JSONWriter.string(value)
        return text.count > 80 ? String(text.prefix(80)) + "..." : text
    }
}
