public import WGMeshCore

/// What the daemon tells local commands about itself over the control
/// socket (request line `info`), as one JSON object.
public struct DaemonInfo: Sendable, Equatable {
    /// The node's name.
    public var nodeName: String
    /// The WireGuard interface.
    public var interfaceName: String
    /// The interface MTU, which pod veths copy.
    public var mtu: Int
    /// The blocks this node owns and may allocate pod IPs from.
    public var blocks: [IPNetwork]
    /// The node's public key.
    public var publicKey: WireGuardKey
    /// kernel or userspace.
    public var backend: String

    /// Creates the info.
    public init(nodeName: String, interfaceName: String, mtu: Int, blocks: [IPNetwork], publicKey: WireGuardKey,
                backend: String)
    {
        self.nodeName = nodeName
        self.interfaceName = interfaceName
        self.mtu = mtu
        self.blocks = blocks
        self.publicKey = publicKey
        self.backend = backend
    }
}
