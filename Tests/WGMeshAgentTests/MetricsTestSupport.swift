import Testing
@testable import WGMeshAgent
import WGMeshCore

/// The samples of a Prometheus text page: `name{labels}` to value.
/// HELP and TYPE lines are kept apart, by name.
struct ScrapedPage {
    var samples: [String: Double] = [:]
    var types: [String: String] = [:]
    var text: String

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let words = line.split(separator: " ")
                types[String(words[2])] = String(words[3])
            } else if !line.hasPrefix("#"), let space = line.lastIndex(of: " ") {
                samples[String(line[..<space])] = Double(line[line.index(after: space)...])
            }
        }
    }

    /// The series names present, without labels or histogram suffixes.
    var names: Set<String> { Set(samples.keys.map { String($0.prefix { $0 != "{" && $0 != " " }) }) }
}

/// Keys and devices for metrics tests.
enum MetricsFixture {
    static func key(_ byte: UInt8) -> WireGuardKey { try! WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32)) }

    static func device(peers: [WireGuardPeer]) -> WireGuardDevice {
        WireGuardDevice(name: "wgmesh0", ifindex: 7, publicKey: key(1), listenPort: 51820, fwmark: 0x100000,
                        peers: peers)
    }

    static func peer(_ byte: UInt8, endpoint: String?, rx: UInt64, tx: UInt64, handshake: Int64?) -> WireGuardPeer {
        WireGuardPeer(publicKey: key(byte), endpoint: endpoint.map { try! Endpoint($0) },
                      lastHandshake: handshake.map { Timestamp(seconds: $0) }, rxBytes: rx, txBytes: tx)
    }

    /// The labels of a peer series on node `host`, in Calico's order.
    static func peerLabels(host: String = "node-a", _ byte: UInt8, endpoint: String) -> String {
        "{hostname=\"\(host)\",peer_endpoint=\"\(endpoint)\",peer_key=\"\(key(byte))\",public_key=\"\(key(1))\"}"
    }
}
