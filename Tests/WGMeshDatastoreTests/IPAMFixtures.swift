import Logging
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Small builders for the IPAM and cluster-view tests.
enum IPAMFixtures {
    static let root = "/ipam-test/"
    static let logger = Logger(label: "ipam-test") { _ in SwiftLogNoOpLogHandler() }

    static func network(_ text: String) -> IPNetwork { try! IPNetwork(text) }

    static func pool(_ name: String, _ cidr: String, blockSize: Int? = nil, selector: String? = nil,
                     disabled: Bool = false) -> IPPool
    {
        IPPool(metadata: ObjectMeta(name: name),
               spec: IPPoolSpec(cidr: network(cidr), blockSize: blockSize,
                                nodeSelector: selector.map { try! LabelSelector($0) } ?? .all, disabled: disabled))
    }

    static func node(_ name: String, labels: [String: String] = [:], key: UInt8? = nil, blocks: [String] = [])
        -> Node
    {
        let wireguard = key.map { NodeWireGuard(publicKey: publicKey($0)) }
        return Node(metadata: ObjectMeta(name: name, labels: labels),
                    spec: NodeSpec(wireguard: wireguard, blocks: blocks.map(network)))
    }

    /// A public key of 32 copies of `byte`.
    static func publicKey(_ byte: UInt8) -> WireGuardKey {
        try! WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32))
    }

    static func allocator(_ datastore: any Datastore) -> BlockAllocator {
        BlockAllocator(datastore: datastore, root: root, logger: logger)
    }

    /// Whether an error is the allocator's "pool is full".
    static func isPoolFull(_ error: any Error) -> Bool {
        (error as? DatastoreError).map { $0.code == .conflict && $0.reason.contains("is full") } ?? false
    }
}
