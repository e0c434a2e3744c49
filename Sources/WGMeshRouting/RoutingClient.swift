import Glibc
internal import WGMeshNetlink

/// Reads and changes links, addresses, routes and policy rules over rtnetlink.
///
/// Owns one `NETLINK_ROUTE` socket, closed when the client is released. Every
/// call waits for the kernel's answer. Not thread-safe: give each thread or
/// actor its own client.
public final class RoutingClient {
    let socket: NetlinkSocket

    /// Opens an rtnetlink socket in the caller's network namespace.
    public init() throws(RoutingError) {
        do {
            socket = try NetlinkSocket(.route)
        } catch {
            throw RoutingError(error, operation: "open an rtnetlink socket")
        }
    }

    /// Uses `socket`; tests pass one over a fake transport that answers with captured bytes.
    init(socket: NetlinkSocket) {
        self.socket = socket
    }

    /// Sends a change and waits for the ACK, wrapping failures with `operation`.
    func execute(_ message: NetlinkMessageBuilder, _ operation: String) throws(RoutingError) {
        do {
            try socket.execute(message, operation: operation)
        } catch {
            throw RoutingError(error, operation: operation)
        }
    }

    /// Dumps and returns the replies of `type`, skipping anything else the kernel sends.
    func dump(_ message: NetlinkMessageBuilder, keeping type: UInt16, _ operation: String)
        throws(RoutingError) -> [NetlinkReply]
    {
        do {
            return try socket.dump(message, operation: operation).filter { $0.type == type }
        } catch {
            throw RoutingError(error, operation: operation)
        }
    }
}
