/// Which implementation is behind a device.
public enum WireGuardBackendKind: String, Sendable, Hashable, CustomStringConvertible {
    /// The Linux kernel module, over generic netlink.
    case kernel
    /// wireguard-go or boringtun, over the UAPI socket.
    case userspace

    public var description: String { rawValue }
}

/// What one apply did, so callers and benchmarks can count the cost.
public struct ApplyReport: Sendable, Equatable {
    /// Netlink messages or UAPI requests sent.
    public var messagesSent: Int

    /// Creates a report.
    public init(messagesSent: Int) { self.messagesSent = messagesSent }
}

/// Reads and changes WireGuard devices through one implementation.
///
/// Calls block on a socket: run them off the cooperative thread pool.
public protocol WireGuardBackend: Sendable {
    /// Which implementation this is.
    var kind: WireGuardBackendKind { get }

    /// The names of the WireGuard devices this backend can see, sorted.
    func deviceNames() throws -> [String]

    /// Reads one device, with every peer's allowed IPs merged.
    func device(named name: String) throws -> WireGuardDevice

    /// Applies `config`, split into as many messages as it needs.
    @discardableResult
    func configure(device name: String, with config: DeviceConfig) throws -> ApplyReport
}
