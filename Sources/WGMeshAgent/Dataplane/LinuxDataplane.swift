public import WGMeshCore
public import Logging

/// The real ``Dataplane``: WireGuard over ``WireGuardClient`` (kernel or
/// wireguard-go), links, addresses, routes and rules over rtnetlink.
public final class LinuxDataplane: Dataplane, @unchecked Sendable {
    /// The settings it was made with.
    public let settings: DataplaneSettings
    private let logger: Logger

    /// Creates a dataplane; nothing is touched until a method is called.
    public init(settings: DataplaneSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func underlay(configured: [IPAddress]) throws -> Underlay {
        throw AgentError(.dataplane, "LinuxDataplane.underlay: not implemented yet")
    }

    public func prepareInterface() throws -> PreparedInterface {
        throw AgentError(.dataplane, "LinuxDataplane.prepareInterface: not implemented yet")
    }

    public func readDevice() throws -> WireGuardDevice {
        throw AgentError(.dataplane, "LinuxDataplane.readDevice: not implemented yet")
    }

    public func apply(_ plan: MeshPlan, verify: Bool) throws -> ApplySummary {
        throw AgentError(.dataplane, "LinuxDataplane.apply: not implemented yet")
    }

    public func cleanup() throws -> [String] {
        throw AgentError(.dataplane, "LinuxDataplane.cleanup: not implemented yet")
    }
}
