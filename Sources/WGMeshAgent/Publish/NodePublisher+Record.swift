import WGMeshCore
import WGMeshDatastore
import WGMeshResources

extension NodePublisher {
    /// How many times a lost compare-and-swap on the Node is read and tried again.
    static let writeAttempts = 5

    /// Creates `desired` or updates the stored Node to it, writing nothing
    /// when the stored one already says the same (labels and spec).
    func writeNode(_ desired: Node) async throws -> Stored<Node> {
        let name = desired.metadata.name
        for _ in 1...Self.writeAttempts {
            let current = try await datastoreCall("read Node \(name)") { try await store.get(Node.self, name: name) }
            do {
                guard let current else {
                    let created = try await store.create(desired)
                    logCreated(created.resource)
                    return created
                }
                if current.resource.metadata.labels == desired.metadata.labels,
                   current.resource.spec == desired.spec
                {
                    logger.debug("the Node already says this; nothing to write", metadata: ["node.name": "\(name)"])
                    return current
                }
                var next = desired
                next.metadata.resourceVersion = String(current.modRevision)
                let updated = try await store.update(next)
                logChanges(from: current.resource, to: updated.resource)
                return updated
            } catch let error as DatastoreError where error.code == .conflict || error.code == .alreadyExists
                || error.code == .notFound
            {
                // Someone else (an operator's apply, a cleanup) wrote it meanwhile: read it again.
                logger.debug("the Node changed while it was written; retrying",
                             metadata: ["node.name": "\(name)", "reason": "\(error.reason)"])
                continue
            } catch let error as DatastoreError where error.code == .invalidRecord {
                throw try await refusal(of: desired, error)
            } catch let error as DatastoreError {
                throw AgentError(.datastore, "cannot write Node \(name): \(error.reason)")
            }
        }
        throw AgentError(.datastore,
                         "gave up writing Node \(name) after \(Self.writeAttempts) attempts: something else keeps "
                             + "changing it; check that only one wgmeshd runs with this node name")
    }

    /// Turns the store's refusal into the operator's words; a key another
    /// node already publishes is by far the likeliest cause, so it gets its own.
    private func refusal(of desired: Node, _ error: DatastoreError) async throws -> AgentError {
        let name = desired.metadata.name
        if let key = desired.spec.wireguard?.publicKey {
            let nodes = try await datastoreCall("list the Nodes") { try await store.list(Node.self).items }
            let other = nodes.map(\.resource).first { $0.metadata.name != name && $0.spec.wireguard?.publicKey == key }
            if let other {
                return AgentError(
                    .datastore,
                    "node \(other.metadata.name) already publishes this node's WireGuard public key \(key): each node "
                        + "needs its own key. A state directory copied from node \(other.metadata.name) (a cloned "
                        + "image or a restored backup) is the usual cause: delete private.key in \(name)'s state "
                        + "directory and restart, so that it makes a key of its own")
            }
        }
        return AgentError(.datastore, "the datastore refused Node \(name): \(error.reason)")
    }

    private func logCreated(_ node: Node) {
        logger.info("published the node", metadata: [
            "node.name": "\(node.metadata.name)",
            "peer.key": "\(node.spec.wireguard?.publicKey.description ?? "")",
            "node.addresses": "\(node.spec.addresses.map(\.description).joined(separator: ","))",
            "node.blocks": "\(node.spec.blocks.map(\.description).joined(separator: ","))",
        ])
    }

    private func logChanges(from old: Node, to new: Node) {
        let name = new.metadata.name
        let gained = new.spec.blocks.filter { !old.spec.blocks.contains($0) }
        let lost = old.spec.blocks.filter { !new.spec.blocks.contains($0) }
        if !gained.isEmpty || !lost.isEmpty {
            logger.info("published the node's blocks", metadata: [
                "node.name": "\(name)", "blocks.added": "\(gained.map(\.description).joined(separator: ","))",
                "blocks.removed": "\(lost.map(\.description).joined(separator: ","))",
            ])
        }
        if old.spec.wireguard != new.spec.wireguard {
            logger.info("published the node's WireGuard key and port", metadata: [
                "node.name": "\(name)", "peer.key": "\(new.spec.wireguard?.publicKey.description ?? "")",
                "listen.port": "\(new.spec.wireguard?.listenPort ?? 0)",
            ])
        }
        if old.spec.addresses != new.spec.addresses {
            logger.info("published the node's addresses", metadata: [
                "node.name": "\(name)", "node.addresses": "\(new.spec.addresses.map(\.description).joined(separator: ","))",
            ])
        }
        if old.metadata.labels != new.metadata.labels {
            logger.info("published the node's labels", metadata: ["node.name": "\(name)"])
        }
    }
}
