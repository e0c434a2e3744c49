import WGMeshCore

/// One Node as `mesh.sh nodes` prints it (flattened from `wgmesh get nodes -o json`).
struct MeshNode: Equatable {
    var name: String
    var publicKey: String?
    var addresses: [IPAddress]
    var listenPort: Int
    var tunnelIPv4: IPAddress?
    var tunnelIPv6: IPAddress?
    var blocks: [IPNetwork]
    var labels: [String: String]

    /// Parses `NAME KEY ADDRESSES PORT TUNNEL4 TUNNEL6 BLOCKS LABELS`
    /// (lists comma-separated, `-` when empty).
    init(line: String) throws {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count == 8 else { throw MeshHarnessError(description: "mesh.sh nodes: bad line '\(line)'") }
        func list(_ text: String) -> [String] { text == "-" ? [] : text.split(separator: ",").map(String.init) }
        name = fields[0]
        publicKey = fields[1] == "-" ? nil : fields[1]
        addresses = try list(fields[2]).map { try IPAddress($0) }
        listenPort = Int(fields[3]) ?? 51820
        tunnelIPv4 = fields[4] == "-" ? nil : try IPAddress(fields[4])
        tunnelIPv6 = fields[5] == "-" ? nil : try IPAddress(fields[5])
        blocks = try list(fields[6]).map { try IPNetwork($0) }
        labels = Dictionary(list(fields[7]).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { first, _ in first })
    }
}

/// A device as `wg show IF dump` prints it: wireguard-tools' reading, not ours.
struct WireGuardDump: Equatable {
    /// One peer's line.
    struct Peer: Equatable {
        var endpoint: String
        var allowedIPs: Set<String>
        var latestHandshake: Int
    }

    var publicKey: String
    var listenPort: Int
    var fwmark: String
    var peers: [String: Peer]

    /// Parses the dump: the interface line, then one tab-separated line per
    /// peer (key, psk, endpoint, allowed IPs, handshake, rx, tx, keepalive).
    init(_ text: String) throws {
        let lines = text.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        guard let first = lines.first, first.count == 4 else {
            throw MeshHarnessError(description: "wg show dump: no interface line in '\(text)'")
        }
        publicKey = first[1]
        listenPort = Int(first[2]) ?? 0
        fwmark = first[3]
        peers = [:]
        for fields in lines.dropFirst() {
            guard fields.count == 8 else { throw MeshHarnessError(description: "wg show dump: bad peer line \(fields)") }
            let allowed = fields[3] == "(none)" ? [] : fields[3].split(separator: ",").map(String.init)
            peers[fields[0]] = Peer(endpoint: fields[2], allowedIPs: Set(allowed), latestHandshake: Int(fields[4]) ?? 0)
        }
    }
}
