import Logging
import WGMeshCore
import WGMeshDatastore
import WGMeshResources

/// Gives one Node a fresh public key per request, for the propagation
/// benchmark: the bench times from the write to the key showing up on
/// every other node's device.
///
/// One process serves every repetition (a line on stdin each), so the
/// tool's start-up and the store's opening are not in the measured path.
enum NodeRekeyer {
    /// For each line read on stdin, replaces `node`'s public key with the
    /// base64 key on the line (a random one when the line is empty) and
    /// prints `<key base64> <key hex> <start ns> <done ns>` (CLOCK_REALTIME
    /// just before the write and just after it committed). A bench that
    /// picks the key can look for it before the write even returns.
    static func serve(_ datastore: any Datastore, node name: String) async throws {
        let store = ResourceStore(datastore: datastore, logger: quietLogger())
        var generator = SystemRandomNumberGenerator()
        while let line = readLine(strippingNewline: true) {
            let text = line.trimmingWhitespace()
            let newKey: WireGuardKey
            do {
                newKey = text.isEmpty
                    ? try WireGuardKey(rawBytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
                    : try WireGuardKey(base64: text)
            } catch {
                throw ToolError(reason: "'\(text.prefix(60))' is not a base64 WireGuard key: send 44 characters or an empty line")
            }
            guard let stored = try await store.get(Node.self, name: name) else {
                throw ToolError(reason: "node \(name) does not exist: seed it first (seed-mesh URL 1 PREFIX)")
            }
            guard var wireguard = stored.resource.spec.wireguard else {
                throw ToolError(reason: "node \(name) has no WireGuard key to replace: give it one first")
            }
            wireguard.publicKey = newKey
            var node = stored.resource
            node.spec.wireguard = wireguard
            node.status = nil
            let key = store.key(for: node)
            let value = ResourceCodec.encodeJSON(node)
            let started = realtimeNanoseconds()
            let result = try await datastore.transaction(
                [.modRevision(key, equals: stored.modRevision)], [.put(key, value: value, lease: nil)])
            let done = realtimeNanoseconds()
            guard result.succeeded else {
                throw ToolError(reason: "node \(name) changed while it was rekeyed: stop the other writer and rerun")
            }
            ToolOutput.line("\(wireguard.publicKey.base64) \(wireguard.publicKey.hex) \(started) \(done)")
        }
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "wgmesh-dstool", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        return logger
    }
}
