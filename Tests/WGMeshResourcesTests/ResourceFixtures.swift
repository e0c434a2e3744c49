import WGMeshCore
@testable import WGMeshResources

/// One sample of every kind, with every optional field set, for round trips.
enum ResourceFixtures {
    static let keyA = try! WireGuardKey(base64: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")
    static let keyB = try! WireGuardKey(base64: "ISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0A=")

    static func net(_ text: String) -> IPNetwork { try! IPNetwork(text) }
    static func ip(_ text: String) -> IPAddress { try! IPAddress(text) }

    static let node = Node(
        metadata: ObjectMeta(name: "node-a", labels: ["zone": "a", "example.com/role": "edge"], resourceVersion: "42"),
        spec: NodeSpec(
            addresses: [ip("192.0.2.10"), ip("2001:db8::10")],
            wireguard: NodeWireGuard(publicKey: keyA, listenPort: 51821, interfaceIPv4: ip("10.99.0.1"),
                                     interfaceIPv6: ip("fd00::1")),
            blocks: [net("10.65.0.0/26"), net("10.65.0.64/26")]),
        status: NodeStatus(updated: 1_764_590_000, peers: [
            PeerStatus(node: "node-b", publicKey: keyB, endpoint: "192.0.2.11:51820", latestHandshake: 1_764_589_990,
                       receivedBytes: 1234, sentBytes: 5678, state: "ok"),
            PeerStatus(node: "node-c", state: "never"),
        ]))

    static let bareNode = Node(metadata: ObjectMeta(name: "node-b"))

    static let pool = IPPool(
        metadata: ObjectMeta(name: "default-v4"),
        spec: IPPoolSpec(cidr: net("10.65.0.0/16"), blockSize: 24, encryption: .none,
                         nodeSelector: try! LabelSelector("zone == 'a'"), disabled: true))

    static let poolV6 = IPPool(metadata: ObjectMeta(name: "default-v6"), spec: IPPoolSpec(cidr: net("fd00:65::/48")))

    static let encryption = EncryptionConfig(spec: EncryptionConfigSpec(
        enabled: false, nodeSelector: try! LabelSelector("has(wg)"), hostEncryption: true, strictMode: true,
        persistentKeepalive: 25, mtu: 1420, listenPort: 51999, interfaceName: "wg-test"))

    static let affinity = BlockAffinity(node: "node-a", cidr: net("10.65.0.0/26"))

    static let endpoint = WorkloadEndpoint(
        metadata: ObjectMeta(name: "pod-1", namespace: "default", labels: ["app": "web"]),
        spec: WorkloadEndpointSpec(node: "node-a", ips: [net("10.65.0.5/32"), net("fd00:65::5/128")],
                                   interfaceName: "cali1234"))

    static let all: [AnyResource] = [
        AnyResource(node), AnyResource(bareNode), AnyResource(pool), AnyResource(poolV6), AnyResource(encryption),
        AnyResource(EncryptionConfig()), AnyResource(affinity), AnyResource(endpoint),
    ]
}
