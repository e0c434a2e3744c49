import Testing
import WGMeshCore
@testable import WGMeshResources

@Suite struct ValidationTests {
    typealias F = ResourceFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let resource: AnyResource
        let path: String
        let mentions: String
        var testDescription: String { label }
    }

    static func node(_ change: (inout Node) -> Void) -> AnyResource {
        var node = F.node
        change(&node)
        return AnyResource(node)
    }

    static func pool(_ cidr: String, blockSize: Int? = nil) -> AnyResource {
        AnyResource(IPPool(metadata: ObjectMeta(name: "p"), spec: IPPoolSpec(cidr: F.net(cidr), blockSize: blockSize)))
    }

    static func config(name: String = "default", _ change: (inout EncryptionConfigSpec) -> Void = { _ in }) -> AnyResource {
        var spec = EncryptionConfigSpec()
        change(&spec)
        return AnyResource(EncryptionConfig(metadata: ObjectMeta(name: name), spec: spec))
    }

    static func endpoint(namespace: String? = "default", node: String = "node-a", ips: [String] = ["10.65.0.5/32"]) -> AnyResource {
        AnyResource(WorkloadEndpoint(
            metadata: ObjectMeta(name: "pod-1", namespace: namespace),
            spec: WorkloadEndpointSpec(node: node, ips: ips.map(F.net), interfaceName: "cali1")))
    }

    @Test(arguments: F.all)
    func fixturesAreValid(resource: AnyResource) throws {
        try resource.base.validate()
    }

    @Test(arguments: [
        Case(label: "node name", resource: node { $0.metadata.name = "Node_A" }, path: "metadata.name", mentions: "'Node_A'"),
        Case(label: "long name", resource: node { $0.metadata.name = String(repeating: "n", count: 254) },
             path: "metadata.name", mentions: "253"),
        Case(label: "label key", resource: node { $0.metadata.labels = ["bad key": "v"] }, path: "metadata.labels",
             mentions: "'bad key' is not a valid label key"),
        Case(label: "label value", resource: node { $0.metadata.labels = ["k": "-v"] }, path: "metadata.labels.k",
             mentions: "'-v' is not a valid label value"),
        Case(label: "resource version", resource: node { $0.metadata.resourceVersion = "abc" },
             path: "metadata.resourceVersion", mentions: "decimal"),
        Case(label: "negative resource version", resource: node { $0.metadata.resourceVersion = "-1" },
             path: "metadata.resourceVersion", mentions: "decimal"),
        Case(label: "namespace on node", resource: node { $0.metadata.namespace = "x" }, path: "metadata.namespace",
             mentions: "not namespaced"),
        Case(label: "zero key", resource: node { $0.spec.wireguard?.publicKey = .zero }, path: "spec.wireguard.publicKey",
             mentions: "all-zero"),
        Case(label: "low-order key", resource: node { $0.spec.wireguard?.publicKey = WireGuardKey.lowOrderPoints[2] },
             path: "spec.wireguard.publicKey", mentions: "low-order point"),
        Case(label: "port 0", resource: node { $0.spec.wireguard?.listenPort = 0 }, path: "spec.wireguard.listenPort",
             mentions: "0 is not a port"),
        Case(label: "v6 as v4", resource: node { $0.spec.wireguard?.interfaceIPv4 = F.ip("fd00::1") },
             path: "spec.wireguard.interfaceIPv4", mentions: "not IPv4"),
        Case(label: "v4 as v6", resource: node { $0.spec.wireguard?.interfaceIPv6 = F.ip("10.0.0.1") },
             path: "spec.wireguard.interfaceIPv6", mentions: "not IPv6"),
        Case(label: "unmasked block", resource: node { $0.spec.blocks = [F.net("10.65.0.1/26")] }, path: "spec.blocks[0]",
             mentions: "use 10.65.0.0/26"),
        Case(label: "duplicate block", resource: node { $0.spec.blocks = [F.net("10.65.0.0/26"), F.net("10.65.0.0/26")] },
             path: "spec.blocks[1]", mentions: "listed twice"),
        Case(label: "duplicate address", resource: node { $0.spec.addresses = [F.ip("192.0.2.1"), F.ip("192.0.2.1")] },
             path: "spec.addresses[1]", mentions: "listed twice"),
        Case(label: "peer state", resource: node { $0.status?.peers[0].state = "great" }, path: "status.peers[0].state",
             mentions: "ok, stale"),
        Case(label: "peer name", resource: node { $0.status?.peers[1].node = "B!" }, path: "status.peers[1].node",
             mentions: "'B!'"),
        Case(label: "pool host bits", resource: pool("10.65.1.0/16"), path: "spec.cidr", mentions: "use 10.65.0.0/16"),
        Case(label: "pool v6 host bits", resource: pool("fd00::1/64"), path: "spec.cidr", mentions: "use fd00::/64"),
        Case(label: "block larger than pool", resource: pool("10.65.0.0/16", blockSize: 15), path: "spec.blockSize",
             mentions: "from 16 to 32"),
        Case(label: "block too small v4", resource: pool("10.65.0.0/16", blockSize: 33), path: "spec.blockSize",
             mentions: "from 16 to 32"),
        Case(label: "block too small v6", resource: pool("fd00::/48", blockSize: 129), path: "spec.blockSize",
             mentions: "from 48 to 128"),
        Case(label: "config name", resource: config(name: "main"), path: "metadata.name", mentions: "'default'"),
        Case(label: "mtu low", resource: config { $0.mtu = 1279 }, path: "spec.mtu", mentions: "1280 to 65535"),
        Case(label: "mtu high", resource: config { $0.mtu = 65536 }, path: "spec.mtu", mentions: "1280 to 65535"),
        Case(label: "config port 0", resource: config { $0.listenPort = 0 }, path: "spec.listenPort", mentions: "0 is not a port"),
        Case(label: "affinity name",
             resource: AnyResource(BlockAffinity(metadata: ObjectMeta(name: "claim"),
                                                 spec: BlockAffinitySpec(cidr: F.net("10.65.0.0/26"), node: "node-a"))),
             path: "metadata.name", mentions: "'node-a-10-65-0-0-26'"),
        Case(label: "affinity unmasked",
             resource: AnyResource(BlockAffinity(metadata: ObjectMeta(name: "node-a-10-65-0-1-26"),
                                                 spec: BlockAffinitySpec(cidr: F.net("10.65.0.1/26"), node: "node-a"))),
             path: "spec.cidr", mentions: "use 10.65.0.0/26"),
        Case(label: "affinity node",
             resource: AnyResource(BlockAffinity(node: "Node A", cidr: F.net("10.65.0.0/26"))),
             path: "spec.node", mentions: "'Node A'"),
        Case(label: "endpoint without namespace", resource: endpoint(namespace: nil), path: "metadata.namespace",
             mentions: "add metadata.namespace"),
        Case(label: "endpoint bad namespace", resource: endpoint(namespace: "a.b"), path: "metadata.namespace",
             mentions: "'a.b'"),
        Case(label: "endpoint network", resource: endpoint(ips: ["10.65.0.0/24"]), path: "spec.ips[0]",
             mentions: "use 10.65.0.0/32"),
        Case(label: "endpoint v6 network", resource: endpoint(ips: ["fd00::5/64"]), path: "spec.ips[0]",
             mentions: "use fd00::5/128"),
        Case(label: "endpoint no ips", resource: endpoint(ips: []), path: "spec.ips", mentions: "at least one"),
        Case(label: "endpoint node", resource: endpoint(node: "-n"), path: "spec.node", mentions: "'-n'"),
    ])
    func invalidRecordsNameTheFieldAndTheFix(case bad: Case) throws {
        let error = try #require(throws: ResourceError.self) { try bad.resource.base.validate() }
        #expect(error.path == bad.path, "\(error.reason)")
        #expect(error.reason.hasPrefix(bad.path + ": "), "\(error.reason)")
        #expect(error.reason.contains(bad.mentions), "\(error.reason)")
    }

    @Test func blockSizeBoundsAreInclusive() throws {
        try Self.pool("10.65.0.0/16", blockSize: 16).base.validate()
        try Self.pool("10.65.0.0/16", blockSize: 32).base.validate()
        try Self.pool("fd00::/48", blockSize: 128).base.validate()
        try Self.config { $0.mtu = 1280 }.base.validate()
        try Self.config { $0.mtu = 65535 }.base.validate()
    }

    @Test func defaultBlockSizeByFamily() {
        #expect(IPPoolSpec(cidr: F.net("10.0.0.0/8")).blockSize == 26)
        #expect(IPPoolSpec(cidr: F.net("fd00::/48")).blockSize == 122)
    }
}
