import Glibc
import Logging
import WGMeshDatastore
import WGMeshDatastoreConnect

extension ToolCommand {
    /// Runs the command against the store its URL names, closing it after.
    func run() async throws {
        switch self {
        case .increment(let url, let key, let count):
            let retries = try await withStore(url) { try await Self.increment($0, key: key, count: count) }
            ToolOutput.line("retries \(retries)")
        case .put(let url, let key, let value):
            let revision = try await withStore(url) { try await $0.put(key, value: Array(value.utf8)) }
            ToolOutput.line(String(revision))
        case .get(let url, let key):
            let found = try await withStore(url) { try await $0.get(key) }
            guard let found else { throw ToolError(reason: "\(key) does not exist in \(url)") }
            ToolOutput.line(String(decoding: found.value, as: UTF8.self))
        case .watch(let url, let prefix, let count, let from):
            try await withStore(url) { try await Self.watch($0, prefix: prefix, count: count, from: from) }
        case .stamp(let url, let key):
            let revision = try await withStore(url) {
                try await $0.put(key, value: Array(String(realtimeNanoseconds()).utf8))
            }
            ToolOutput.line(String(revision))
        case .seedNodes(let url, let count):
            try await withStore(url) { try await NodeSeeder.seed($0, count: count) }
        case .listNodes(let url, let runs):
            let times = try await withStore(url) { try await NodeSeeder.timeLists($0, runs: runs) }
            for milliseconds in times { ToolOutput.line(String(milliseconds)) }
        case .seedMesh(let url, let count, let prefix, let pool):
            let nodes = try await withStore(url) {
                try await MeshSeeder.seed($0, count: count, pool: pool, prefix: prefix)
            }
            if !nodes.isEmpty { ToolOutput.line(nodes.map(\.line).joined(separator: "\n")) }
        case .rekey(let url, let node):
            try await withStore(url) { try await NodeRekeyer.serve($0, node: node) }
        }
    }

    /// Opens `url`, runs `body`, and closes the store whatever happens.
    private func withStore<R>(_ url: String, _ body: (any Datastore) async throws -> R) async throws -> R {
        var logger = Logger(label: "wgmesh-dstool", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        let store = try await DatastoreConnector.connect(url: try DatastoreURL(parsing: url), logger: logger)
        return try await store.closing { try await body(store) }
    }

    /// Adds one to the decimal counter at `key`, `count` times, each by
    /// compare-and-swap on the revision just read; returns how many
    /// attempts lost to another writer and were retried.
    static func increment(_ store: any Datastore, key: String, count: Int) async throws -> Int {
        var retries = 0
        for _ in 0..<count {
            while true {
                let current = try await store.get(key)
                let text = current.map { String(decoding: $0.value, as: UTF8.self) } ?? "0"
                guard let value = Int(text) else {
                    let shown = text.count > 40 ? text.prefix(40) + "..." : text
                    throw ToolError(reason: "\(key) holds '\(shown)', not a decimal counter: delete it or use another key")
                }
                let next = Array(String(value + 1).utf8)
                let result: TransactionResult
                if let current {
                    result = try await store.transaction(
                        [.modRevision(key, equals: current.modRevision)], [.put(key, value: next, lease: nil)])
                } else {
                    result = try await store.transaction(
                        [.modRevision(key, equals: 0)], [.put(key, value: next, lease: nil)])
                }
                if result.succeeded { break }
                retries += 1
            }
        }
        return retries
    }

    /// Prints `count` events under `prefix` as they arrive, from `from`
    /// (default: just after the store's current revision).
    static func watch(_ store: any Datastore, prefix: String, count: Int, from: Int64?) async throws {
        var start = Revision(0)
        if let from { start = from } else { start = try await store.list(prefix: prefix).revision + 1 }
        // Tests wait for this line before they write, so the write finds the watch running.
        ToolOutput.error("watching \(prefix) from \(start)")
        var seen = 0
        guard count > 0 else { return }
        for try await batch in store.watch(prefix: prefix, from: start) {
            let received = realtimeNanoseconds()
            for event in batch.events {
                let kind = event.kind == .put ? "put" : "delete"
                let value = String(decoding: event.keyValue.value, as: UTF8.self)
                ToolOutput.line("\(event.keyValue.modRevision) \(kind) \(event.keyValue.key) \(received) \(value)")
                seen += 1
                if seen == count { return }
            }
        }
        throw ToolError(reason: "the watch on \(prefix) ended after \(seen) of \(count) events")
    }
}

/// CLOCK_REALTIME in nanoseconds: comparable across processes, for latency.
func realtimeNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
