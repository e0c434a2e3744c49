import Glibc
import Logging
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Fills a store with Node records and times listing them, for the
/// "list and decode 5,000 Nodes" benchmark.
enum NodeSeeder {
    /// Puts per transaction: below etcd's default limit of 128 operations.
    static let batchSize = 100

    /// Writes `count` distinct, valid Nodes (names node-00000...) under the
    /// default root, replacing any that are there.
    static func seed(_ datastore: any Datastore, count: Int) async throws {
        let store = ResourceStore(datastore: datastore, logger: quietLogger())
        var start = 0
        while start < count {
            let end = min(start + batchSize, count)
            let operations = try (start..<end).map { index -> Operation in
                let node = try makeNode(index)
                return .put(store.key(for: node), value: ResourceCodec.encodeJSON(node), lease: nil)
            }
            _ = try await datastore.transaction([], operations)
            start = end
        }
    }

    /// Lists and decodes every Node `runs` times; returns milliseconds per run.
    static func timeLists(_ datastore: any Datastore, runs: Int) async throws -> [Double] {
        let store = ResourceStore(datastore: datastore, logger: quietLogger())
        var times: [Double] = []
        for _ in 0..<runs {
            let began = monotonicNanoseconds()
            let list = try await store.list(Node.self)
            times.append(Double(monotonicNanoseconds() - began) / 1e6)
            if !list.rejected.isEmpty {
                ToolOutput.error("wgmesh-dstool: \(list.rejected.count) node records were rejected")
            }
        }
        return times
    }

    /// Node `index`: its own underlay address, public key and interface address.
    static func makeNode(_ index: Int) throws -> Node {
        let (high, low) = (UInt8((index >> 8) & 0xFF), UInt8(index & 0xFF))
        let keyBytes = [UInt8(0x57), 0x47, high, low] + [UInt8](repeating: 0x11, count: 28)
        let wireguard = NodeWireGuard(
            publicKey: try WireGuardKey(rawBytes: keyBytes), listenPort: 51820,
            interfaceIPv4: try IPAddress(networkBytes: [100, 64, high, low]))
        let name = "node-" + String(repeating: "0", count: max(0, 5 - String(index).count)) + String(index)
        return Node(
            metadata: ObjectMeta(name: name, labels: ["bench": "list"]),
            spec: NodeSpec(addresses: [try IPAddress(networkBytes: [10, 200, high, low])], wireguard: wireguard))
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "wgmesh-dstool", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        return logger
    }
}

/// CLOCK_MONOTONIC in nanoseconds, for durations.
func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
