import Glibc
import Logging
import Synchronization
import Testing
import WGMeshDatastore
import WGMeshDatastoreConnect
import WGMeshTestSupport

/// A store reached by URL from several processes: a fresh SQLite file, or
/// the shared etcd member (each test on its own key prefix).
struct MultiProcessTarget: Sendable, CustomTestStringConvertible {
    /// "sqlite" or "etcd".
    let name: String
    /// A URL every process can open.
    let makeURL: @Sendable () async throws -> String

    var testDescription: String { name }

    /// SQLite always; etcd when WGMESH_ETCD_TESTS is set.
    static let all: [MultiProcessTarget] = {
        var targets = [MultiProcessTarget(name: "sqlite", makeURL: { "sqlite://" + (try TemporaryFiles.databasePath()) })]
        if ConformanceBackend.etcdEnabled {
            targets.append(MultiProcessTarget(name: "etcd", makeURL: { "etcd://" + (try await SharedEtcd.shared.endpoint()) }))
        }
        return targets
    }()

    /// Runs `body` holding the conformance gate when the store is shared
    /// (etcd), so the compaction case cannot cut history from under a watcher.
    func gated<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        guard name == "etcd" else { return try await body() }
        await ConformanceGate.shared.acquire(exclusive: false)
        do {
            let result = try await body()
            await ConformanceGate.shared.release(exclusive: false)
            return result
        } catch {
            await ConformanceGate.shared.release(exclusive: false)
            throw error
        }
    }

    /// Opens `url` in this process, as the CLI would.
    static func open(_ url: String) async throws -> any Datastore {
        try await DatastoreConnector.connect(url: try DatastoreURL(parsing: url), logger: ConformanceBackend.logger)
    }
}

/// wgmesh-dstool, built next to the test bundle by `swift build --build-tests`.
enum DatastoreTool {
    /// `.build/debug/wgmesh-dstool` under the package root, found from this file's path.
    static let path: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // Tests/WGMeshDatastoreTests/MultiProcessSupport.swift
        return components.joined(separator: "/") + "/.build/debug/wgmesh-dstool"
    }()

    /// Whether the tool has been built.
    static var exists: Bool { access(path, X_OK) == 0 }

    /// Runs the tool with `arguments` on a Dispatch thread and returns what
    /// it printed. `timeout` kills it after 60 s, so a watcher that misses an
    /// event fails the test instead of hanging the run.
    static func run(_ arguments: [String]) async throws -> ProcessResult {
        try await offPool { try runProcess("/usr/bin/timeout", ["60", path] + arguments) }
    }

    /// Runs the tool and requires exit status 0, recording its stderr otherwise.
    static func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> String
    {
        let result = try await run(arguments)
        try #require(result.status == 0,
                     "wgmesh-dstool \(arguments.joined(separator: " ")) exited \(result.status): \(result.standardError)",
                     sourceLocation: sourceLocation)
        return result.standardOutput
    }
}

/// One line of `wgmesh-dstool watch`: `<revision> <kind> <key> <receive_ns> <value>`.
struct ToolWatchLine: Hashable {
    var revision: Revision
    var kind: String
    var key: String
    var value: String

    /// Parses every line of the tool's output; nil for a line that does not fit.
    static func parse(_ output: String) -> [ToolWatchLine?] {
        output.split(separator: "\n").map { line in
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count >= 4, let revision = Revision(fields[0]), Int64(fields[3]) != nil else { return nil }
            return ToolWatchLine(revision: revision, kind: String(fields[1]), key: String(fields[2]),
                                 value: fields.count == 5 ? String(fields[4]) : "")
        }
    }
}
