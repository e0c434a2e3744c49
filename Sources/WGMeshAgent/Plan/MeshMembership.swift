import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Which nodes take part in the mesh as seen from the local node, and a
/// one-line reason for every node that does not.
///
/// A node is a peer candidate when encryption is enabled, the
/// EncryptionConfig's nodeSelector selects it, it has a key no other node
/// shares, and it publishes an underlay address. The local node must pass
/// the same test: every other node applies it to us, so programming peers
/// that would not program us back only breaks traffic.
struct MeshMembership {
    /// The other nodes that take part, oldest record first (the order in
    /// which they get contested allowed IPs).
    private(set) var candidates: [UsableNode] = []
    /// Every node that is not a candidate, with the reason.
    private(set) var excluded: [String: String] = [:]
    /// The local node as stored, when it takes part.
    private(set) var local: UsableNode?

    /// Decides membership for the node named `localName`.
    init(snapshot: MeshSnapshot, view: ClusterView, encryption: EncryptionConfigSpec, localName: String) {
        var sharing: [String: [String]] = [:]
        for case .duplicatePublicKey(_, let names) in view.conflicts {
            for name in names { sharing[name] = names.filter { $0 != name } }
        }
        let rules = Rules(encryption: encryption, sharing: sharing)

        let localNode = snapshot.nodes.first { $0.resource.metadata.name == localName }?.resource
        let localReason = localNode.map(rules.reason) ?? "has not published its Node yet"
        excluded.reserveCapacity(localReason == nil ? 16 : snapshot.nodes.count)
        for stored in snapshot.nodes where stored.resource.metadata.name != localName {
            if let reason = rules.reason(stored.resource) {
                excluded[stored.resource.metadata.name] = reason
            } else if localReason != nil {
                excluded[stored.resource.metadata.name] = "this node does not take part"
            }
        }
        if let localReason {
            excluded[localName] = localReason
            return
        }
        // The view's usable nodes are exactly the nodes with an unshared key,
        // so the ones that pass the rules are the candidates (and this node).
        candidates.reserveCapacity(view.usableNodes.count)
        for entry in view.usableNodes where rules.reason(entry.node) == nil {
            if entry.name == localName { local = entry } else { candidates.append(entry) }
        }
        candidates.sort { ($0.createRevision, $0.name) < ($1.createRevision, $1.name) }
    }

    /// The membership test for one node.
    private struct Rules {
        let encryption: EncryptionConfigSpec
        /// For each node in a duplicate-key conflict, the other nodes with its key.
        let sharing: [String: [String]]

        /// Why `node` is not in the mesh, or nil when it is.
        func reason(_ node: Node) -> String? {
            guard encryption.enabled else { return "encryption is disabled" }
            guard encryption.nodeSelector.selectsAll || encryption.nodeSelector.matches(node.metadata.labels) else {
                return "not selected by the EncryptionConfig nodeSelector \(encryption.nodeSelector)"
            }
            guard node.spec.wireguard != nil else { return "has no WireGuard key yet" }
            if !sharing.isEmpty, let others = sharing[node.metadata.name] {
                return "shares its public key with \(others.joined(separator: ", "))"
            }
            guard !node.spec.addresses.isEmpty else { return "has no underlay address" }
            return nil
        }
    }
}
