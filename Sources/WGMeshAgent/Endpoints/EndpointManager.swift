public import WGMeshCore
public import WGMeshDatastore
public import WGMeshResources
public import Logging
import WGMeshRouting
internal import WGMeshSystem

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
    private let lockPath: String

    /// The lock file next to the default control socket.
    public static let defaultLockPath = lockPath(forControlSocket: AgentConfig.defaultControlSocket)

    /// Creates a manager over `store`, serializing allocations with a lock
    /// file at `lockPath` (see ``lockPath(forControlSocket:)``).
    public init(store: ResourceStore, logger: Logger, lockPath: String = EndpointManager.defaultLockPath) {
        self.store = store
        self.logger = logger
        self.lockPath = lockPath
    }

    /// `endpoints.lock` in the control socket's folder, so every command
    /// talking to one daemon shares one lock.
    public static func lockPath(forControlSocket socket: String) -> String {
        guard let slash = socket.lastIndex(of: "/") else { return "endpoints.lock" }
        return String(socket[..<slash]) + "/endpoints.lock"
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
    ///
    /// The record is written first, so an address is never wired without
    /// being claimed; if wiring fails, the record is deleted again.
    public func add(_ request: EndpointRequest, info: DaemonInfo) async throws -> WorkloadEndpoint {
        let hostInterface = Self.hostInterfaceName(namespace: request.namespace, name: request.name)
        let metadata = ObjectMeta(name: request.name, namespace: request.namespace, labels: request.labels)
        do {
            try metadata.validate(for: WorkloadEndpoint.kind)
        } catch {
            throw AgentError(.invalidConfiguration, "endpoint \(request.namespace)/\(request.name): \(error)")
        }
        let namespace: NetworkNamespace
        do {
            namespace = try NetworkNamespace(path: request.netnsPath)
        } catch {
            throw AgentError(.invalidConfiguration, error.reason)
        }
        guard let mtu = UInt32(exactly: info.mtu), mtu >= 1280 else {
            throw AgentError(.invalidConfiguration,
                             "the daemon reports MTU \(info.mtu), too small for pods (IPv6 needs 1280); check wgmeshd's mtu")
        }

        let lock = try EndpointLock(path: lockPath)
        defer { lock.release() }
        let endpoints = try await store.list(WorkloadEndpoint.self).items.map(\.resource)
        if endpoints.contains(where: {
            $0.spec.node == info.nodeName && $0.metadata.name == request.name
                && $0.metadata.namespace == request.namespace
        }) {
            throw AgentError(.endpoint, "endpoint \(request.namespace)/\(request.name) already exists on node "
                                 + "\(info.nodeName); delete it first (wgmesh endpoint del --name \(request.name) "
                                 + "--namespace \(request.namespace))")
        }
        // Every endpoint's addresses count, not only this node's: a block
        // that moved between nodes must not hand out an address still in use.
        let used = Set(endpoints.flatMap { $0.spec.ips.map(\.address) })
        let addresses = try EndpointAddressPicker.pick(blocks: info.blocks, used: used)

        let endpoint = WorkloadEndpoint(
            metadata: metadata,
            spec: WorkloadEndpointSpec(
                node: info.nodeName,
                ips: try addresses.map { try IPNetwork(address: $0, prefixLength: $0.family.bitCount) },
                interfaceName: hostInterface))
        let stored: Stored<WorkloadEndpoint>
        do {
            stored = try await store.create(endpoint)
        } catch {
            throw AgentError(.datastore, "cannot record endpoint \(request.namespace)/\(request.name): \(error)")
        }

        let wiring = EndpointWiring(hostInterface: hostInterface, containerInterface: request.containerInterface,
                                    addresses: addresses, mtu: mtu)
        do {
            // setns and netlink block: a blocking-work thread (which setns moves and moves back).
            try await BlockingWork.run { try wiring.wire(into: namespace) }
        } catch {
            var removed = false
            do {
                removed = try await store.datastore.delete(store.key(for: endpoint), expected: stored.modRevision)
            } catch {
                logger.error("cannot remove the record of an endpoint that failed", metadata: ["error": "\(error)"])
            }
            let record = removed ? "the record was removed again"
                : "the record could not be removed: delete it with `wgmesh delete wep \(request.name) --namespace \(request.namespace)`"
            throw AgentError(.dataplane, "cannot wire endpoint \(request.namespace)/\(request.name) into "
                                 + "\(request.netnsPath): \(error); \(record)")
        }
        logger.info("endpoint added", metadata: [
            "node.name": "\(info.nodeName)", "endpoint": "\(request.namespace)/\(request.name)",
            "endpoint.ips": "\(endpoint.spec.ips.map(\.description).joined(separator: ","))",
            "link.name": "\(hostInterface)",
        ])
        return stored.resource
    }

    /// Undoes ``add(_:info:)``: the veth pair, its routes and the record.
    /// Returns false when there was nothing to remove.
    public func delete(name: String, namespace: String, node: String) async throws -> Bool {
        let lock = try EndpointLock(path: lockPath)
        defer { lock.release() }
        let record = try await store.list(WorkloadEndpoint.self).items.first {
            $0.resource.spec.node == node && $0.resource.metadata.name == name
                && $0.resource.metadata.namespace == namespace
        }
        let hostInterface = record?.resource.spec.interfaceName
            ?? Self.hostInterfaceName(namespace: namespace, name: name)
        let unwired: Bool
        do {
            unwired = try await BlockingWork.run { try EndpointWiring.unwire(hostInterface: hostInterface) }
        } catch {
            throw AgentError(.dataplane, "cannot remove the veth \(hostInterface) of endpoint \(namespace)/\(name): "
                                 + "\(error); the record was kept, fix the cause and delete again")
        }
        var deleted = false
        if let record {
            // Only this node's record, at the revision read: another node's
            // endpoint of the same name stays.
            deleted = try await store.datastore.delete(store.key(for: record.resource), expected: record.modRevision)
        }
        logger.info("endpoint deleted", metadata: [
            "node.name": "\(node)", "endpoint": "\(namespace)/\(name)", "link.name": "\(hostInterface)",
        ])
        return unwired || deleted
    }
}
