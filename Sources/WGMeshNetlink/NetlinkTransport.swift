/// Moves whole netlink datagrams; ``NetlinkSocket`` does the protocol on top.
///
/// The real one is an `mnl_socket`; tests pass a fake that answers with
/// captured bytes, as mdlayher/netlink's tests do.
public protocol NetlinkTransport: AnyObject {
    /// The port id the kernel addresses our replies to (`nlmsg_pid`).
    var portID: UInt32 { get }
    /// Sends one message.
    func send(_ message: [UInt8]) throws(NetlinkError)
    /// Receives one datagram (one or more messages) into `buffer`; returns its length.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(NetlinkError) -> Int
}
