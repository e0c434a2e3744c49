public import WGMeshCore
public import WGMeshDatastore
public import WGMeshResources
public import Logging

/// What `wgmesh endpoint add` asks for.
public struct EndpointRequest: Sendable, Equatable {
    /// The endpoint's name (unique within its namespace on this node).
    public var name: String
    /// The workload namespace (default `default`).
    public var namespace: String
    /// The network namespace to wire: a path such as /var/run/netns/NAME.
    public var netnsPath: String
    /// Labels recorded on the WorkloadEndpoint.
    public var labels: [String: String]
    /// The interface name inside the netns (default eth0).
    public var containerInterface: InterfaceName

    /// Creates a request.
    public init(name: String, namespace: String = "default", netnsPath: String, labels: [String: String] = [:],
                containerInterface: InterfaceName = "eth0")
    {
        self.name = name
        self.namespace = namespace
        self.netnsPath = netnsPath
        self.labels = labels
        self.containerInterface = containerInterface
    }
}

/// Wires pods the way a CNI plugin does: addresses from this node's blocks,
/// a veth pair with one end in the pod's netns, routes both ways, and a
/// WorkloadEndpoint record.
public struct EndpointManager: Sendable {
    private let store: ResourceStore
    private let logger: Logger

    /// Creates a manager over `store`.
    public init(store: ResourceStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The host-side veth name for an endpoint: `wm` + 11 hex digits of a
    /// hash of namespace and name, so it fits IFNAMSIZ and is stable.
    public static func hostInterfaceName(namespace: String, name: String) -> InterfaceName {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (namespace + "/" + name).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        // Safe: "wm" + 11 hex digits is 13 characters of [a-z0-9].
        return try! InterfaceName("wm" + digits.prefix(11))
    }

    /// Adds the endpoint for node `info.nodeName`; returns its record.
    public func add(_ request: EndpointRequest, info: DaemonInfo) async throws -> WorkloadEndpoint {
        throw AgentError(.endpoint, "EndpointManager.add: not implemented yet")
    }

    /// Undoes ``add(_:info:)``: the veth pair, its routes and the record.
    /// Returns false when there was nothing to remove.
    public func delete(name: String, namespace: String, node: String) async throws -> Bool {
        throw AgentError(.endpoint, "EndpointManager.delete: not implemented yet")
    }
}
