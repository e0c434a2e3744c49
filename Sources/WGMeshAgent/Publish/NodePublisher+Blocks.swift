import WGMeshCore
import WGMeshDatastore
import WGMeshResources

extension NodePublisher {
    /// The blocks the node will publish: exactly its pod CIDRs when it has
    /// some, else one per enabled pool that selects it (kept across restarts).
    func claimBlocks(for identity: NodeIdentity) async throws -> [IPNetwork] {
        let pools = try await datastoreCall("list the IPPools") {
            try await store.list(IPPool.self).items.map(\.resource)
        }
        let node = Node(metadata: ObjectMeta(name: identity.name, labels: identity.labels))
        if !identity.podCIDRs.isEmpty {
            do {
                return try await allocator.claimSpecificBlocks(node: node, cidrs: identity.podCIDRs, pools: pools)
                    .map(\.spec.cidr)
            } catch let error as DatastoreError where error.code == .invalidRecord || error.code == .conflict {
                throw AgentError(.invalidConfiguration, "--pod-cidr: \(error.reason)")
            } catch let error as DatastoreError {
                throw AgentError(.datastore, "cannot claim the pod CIDRs of node \(identity.name): \(error.reason)")
            }
        }
        let selecting = pools.filter { !$0.spec.disabled && $0.spec.nodeSelector.matches(identity.labels) }
        if selecting.isEmpty {
            logger.warning("no IPPool selects node \(identity.name): it gets no pod addresses",
                           metadata: ["node.name": "\(identity.name)", "pools": "\(pools.count)"])
            return []
        }
        do {
            return try await allocator.ensureBlocks(node: node, pools: pools).map(\.spec.cidr)
        } catch let error as DatastoreError where error.code == .conflict && error.reason.contains(" is full") {
            throw AgentError(.exhausted, error.reason)
        } catch let error as DatastoreError {
            throw AgentError(.datastore, "cannot claim blocks for node \(identity.name): \(error.reason)")
        }
    }

    /// Runs one datastore call, turning its error into an AgentError that
    /// says what was being done.
    func datastoreCall<T>(_ action: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatastoreError {
            throw AgentError(.datastore, "cannot \(action): \(error.reason)")
        }
    }
}
