public import WGMeshCore

/// Which backend a ``WireGuardClient`` may use.
public enum BackendPreference: String, Sendable, CaseIterable {
    /// The kernel when its genetlink family exists, else a userspace socket.
    case auto
    /// The kernel module only.
    case kernel
    /// A userspace implementation (wireguard-go) only.
    case userspace
}

/// One client over both backends: picks the kernel or the UAPI socket per device.
///
/// Placeholder: the backend selection lands with the userspace backend.
public struct WireGuardClient: WireGuardBackend {
    /// The preference this client was made with.
    public let preference: BackendPreference

    /// Creates a client.
    public init(preference: BackendPreference = .auto) { self.preference = preference }

    public var kind: WireGuardBackendKind { .kernel }

    public func deviceNames() throws -> [String] { [] }

    public func device(named name: String) throws -> WireGuardDevice {
        throw InvalidInputError(.invalidInterfaceName, "Unable to access interface \(name): not implemented yet")
    }

    @discardableResult
    public func configure(device name: String, with config: DeviceConfig) throws -> ApplyReport {
        throw InvalidInputError(.invalidInterfaceName, "Unable to modify interface \(name): not implemented yet")
    }
}
