internal import Glibc
import WGMeshCore
public import WGMeshResources

/// Asks a running wgmeshd over its control socket.
public struct ControlClient: Sendable {
    /// The socket path.
    public let path: String
    /// How long the daemon may take to answer, in milliseconds.
    public var timeoutMilliseconds: Int64 = 5000

    /// The largest reply read; an info reply with thousands of blocks fits.
    static let replyLimit = 1 << 20

    /// Creates a client for `path`.
    public init(path: String) { self.path = path }

    /// The daemon's ``DaemonInfo``; throws `.controlSocket` naming the path
    /// and saying to start wgmeshd when nobody answers.
    public func info() throws -> DaemonInfo {
        let reply = try request("info")
        do {
            return try DaemonInfo(json: reply)
        } catch {
            throw AgentError(.controlSocket, "wgmeshd at \(path) sent a reply wgmesh cannot use (\(error.reason)): "
                + "make sure wgmesh and wgmeshd are the same version")
        }
    }

    /// Checks that the daemon answers; throws `.controlSocket` otherwise.
    public func ping() throws {
        let reply = try request("ping")
        guard reply["ok"] == .bool(true) else {
            throw AgentError(.controlSocket, "wgmeshd at \(path) answered ping with \(clipped(reply)), not "
                + "{\"ok\":true}: make sure wgmesh and wgmeshd are the same version")
        }
    }

    /// Sends one request line and returns the reply's JSON; a reply that
    /// carries an error becomes an AgentError with the daemon's words.
    /// `timeoutMilliseconds` overrides the client's for slow commands.
    public func request(_ line: String, timeoutMilliseconds: Int64? = nil) throws -> JSONValue {
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
        guard socket.writeAll(Array((line + "\n").utf8), deadline: deadline) else {
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
        let reply: JSONValue
        do {
            reply = try JSONParser.parse(bytes, limits: JSONParser.Limits(maxDepth: 16, maxBytes: Self.replyLimit))
        } catch {
            throw AgentError(.controlSocket, "wgmeshd at \(path) sent a reply that is not JSON (\(error)): "
                + "make sure the path is wgmeshd's control socket and both are the same version")
        }
        if case .string(let message)? = reply["error"] {
            throw AgentError(.controlSocket, "wgmeshd at \(path) refused '\(line)': \(message)")
        }
        return reply
    }

    /// A reply for an error message, cut short.
    private func clipped(_ value: JSONValue) -> String {
        let text = JSONWriter.string(value)
        return text.count > 80 ? String(text.prefix(80)) + "..." : text
    }
}
