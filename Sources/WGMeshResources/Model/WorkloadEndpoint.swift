public import WGMeshCore

/// A pod's network endpoint on a node, recorded by `wgmesh endpoint add`.
public struct WorkloadEndpoint: Resource {
    public static let kind = ResourceKind(
        name: "WorkloadEndpoint", plural: "workloadendpoints", aliases: ["wep", "weps", "endpoint", "endpoints"],
        nodeScoped: true, namespaced: true)
    public var metadata: ObjectMeta
    public var spec: WorkloadEndpointSpec
    public var owningNode: String? { spec.node }

    /// Creates an endpoint.
    public init(metadata: ObjectMeta, spec: WorkloadEndpointSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// Where the endpoint lives and what it holds.
public struct WorkloadEndpointSpec: Hashable, Sendable {
    /// The node the pod runs on.
    public var node: String
    /// The pod's addresses, each a host network (/32 or /128).
    public var ips: [IPNetwork]
    /// The host side of the pod's veth pair.
    public var interfaceName: InterfaceName

    /// Creates a spec.
    public init(node: String, ips: [IPNetwork], interfaceName: InterfaceName) {
        self.node = node
        self.ips = ips
        self.interfaceName = interfaceName
    }
}
