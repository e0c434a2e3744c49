internal import WGMeshResources

/// The columns `wgmesh get` prints for each kind, in `table` and `wide` form.
///
/// A kind without an entry here prints NAME only, so a new kind shows up
/// in `get` before anyone writes its columns.
struct ResourceTable {
    /// Column titles.
    var headers: [String]
    /// One row of cells per resource.
    var rows: [[String]]

    /// The table for `resources` of kind `kind`; `wide` adds the wide columns.
    init(kind: ResourceKind, resources: [AnyResource], wide: Bool) {
        let columns = Self.columns(for: kind).filter { wide || !$0.wideOnly }
        headers = columns.map(\.title)
        rows = resources.map { resource in columns.map { $0.cell(resource.base) } }
    }

    /// The table as text: columns padded to their widest cell, three spaces apart, like kubectl.
    var text: String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var output = ""
        for row in [headers] + rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 3)
            }
            output += line + "\n"
        }
        return output
    }

    /// One column: its title, whether only `-o wide` shows it, and how to fill it.
    struct Column: Sendable {
        var title: String
        var wideOnly = false
        var cell: @Sendable (any Resource) -> String
    }

    static func columns(for kind: ResourceKind) -> [Column] {
        let name = Column(title: "NAME") { $0.metadata.name }
        switch kind {
        case Node.kind: return [name] + nodeColumns
        case IPPool.kind: return [name] + poolColumns
        case EncryptionConfig.kind: return [name] + encryptionColumns
        case BlockAffinity.kind: return [name] + affinityColumns
        case WorkloadEndpoint.kind:
            return [Column(title: "NAMESPACE") { $0.metadata.namespace ?? "" }, name] + endpointColumns
        default: return [name]
        }
    }

    private static let nodeColumns: [Column] = [
        Column(title: "ADDRESSES") { list(($0 as? Node)?.spec.addresses ?? []) },
        Column(title: "PUBLIC-KEY") { ($0 as? Node)?.spec.wireguard.map(\.publicKey.base64) ?? none },
        Column(title: "BLOCKS") { list(($0 as? Node)?.spec.blocks ?? []) },
        Column(title: "LISTEN-PORT", wideOnly: true) { ($0 as? Node)?.spec.wireguard.map { "\($0.listenPort)" } ?? none },
        Column(title: "INTERFACE-IPS", wideOnly: true) {
            let wireguard = ($0 as? Node)?.spec.wireguard
            return list([wireguard?.interfaceIPv4, wireguard?.interfaceIPv6].compactMap { $0 })
        },
    ]

    private static let poolColumns: [Column] = [
        Column(title: "CIDR") { ($0 as? IPPool).map { "\($0.spec.cidr)" } ?? none },
        Column(title: "BLOCK-SIZE") { ($0 as? IPPool).map { "\($0.spec.blockSize)" } ?? none },
        Column(title: "ENCRYPTION") { ($0 as? IPPool)?.spec.encryption.rawValue ?? none },
        Column(title: "DISABLED") { ($0 as? IPPool).map { "\($0.spec.disabled)" } ?? none },
        Column(title: "NODE-SELECTOR", wideOnly: true) { ($0 as? IPPool).map { "\($0.spec.nodeSelector)" } ?? none },
    ]

    private static let encryptionColumns: [Column] = [
        Column(title: "ENABLED") { ($0 as? EncryptionConfig).map { "\($0.spec.enabled)" } ?? none },
        Column(title: "INTERFACE") { ($0 as? EncryptionConfig).map { "\($0.spec.interfaceName)" } ?? none },
        Column(title: "LISTEN-PORT") { ($0 as? EncryptionConfig).map { "\($0.spec.listenPort)" } ?? none },
        Column(title: "MTU", wideOnly: true) { ($0 as? EncryptionConfig)?.spec.mtu.map { "\($0)" } ?? none },
        Column(title: "KEEPALIVE", wideOnly: true) {
            ($0 as? EncryptionConfig)?.spec.persistentKeepalive.map { "\($0)" } ?? none
        },
        Column(title: "HOST-ENCRYPTION", wideOnly: true) {
            ($0 as? EncryptionConfig).map { "\($0.spec.hostEncryption)" } ?? none
        },
        Column(title: "STRICT", wideOnly: true) { ($0 as? EncryptionConfig).map { "\($0.spec.strictMode)" } ?? none },
        Column(title: "NODE-SELECTOR", wideOnly: true) {
            ($0 as? EncryptionConfig).map { "\($0.spec.nodeSelector)" } ?? none
        },
    ]

    private static let affinityColumns: [Column] = [
        Column(title: "NODE") { ($0 as? BlockAffinity)?.spec.node ?? none },
        Column(title: "CIDR") { ($0 as? BlockAffinity).map { "\($0.spec.cidr)" } ?? none },
    ]

    private static let endpointColumns: [Column] = [
        Column(title: "NODE") { ($0 as? WorkloadEndpoint)?.spec.node ?? none },
        Column(title: "IPS") { list(($0 as? WorkloadEndpoint)?.spec.ips ?? []) },
        Column(title: "INTERFACE", wideOnly: true) {
            ($0 as? WorkloadEndpoint).map { "\($0.spec.interfaceName)" } ?? none
        },
    ]

    /// What an empty cell shows.
    private static let none = "<none>"

    private static func list(_ values: [some CustomStringConvertible]) -> String {
        values.isEmpty ? none : values.map(\.description).joined(separator: ",")
    }
}
