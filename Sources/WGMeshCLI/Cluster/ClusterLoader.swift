internal import Glibc
internal import WGMeshAgent
internal import WGMeshDatastore
internal import WGMeshResources

/// Reads what the cluster view needs from the datastore (every node with
/// its status, and the live nodes) and maps failures to the exit codes
/// `status --cluster` and `graph` share.
enum ClusterLoader {
    /// Exit status when everything is healthy.
    static let healthy: Int32 = 0
    /// Exit status when any node or pair has a problem.
    static let unhealthy: Int32 = 1
    /// Exit status for bad input (a bad URL or output format).
    static let badInput: Int32 = 2
    /// Exit status when the datastore cannot be read.
    static let unreachable: Int32 = 3

    /// The view now, from the datastore `options` name; a failure is printed
    /// and becomes ``LoadFailure`` carrying the exit code.
    static func load(options: DatastoreOptions, now: Int64 = Int64(time(nil))) async throws -> ClusterHealth {
        do {
            _ = try options.url()
        } catch {
            DatastoreCommandIO.printError("Error: " + error.reason)
            throw LoadFailure(code: badInput)
        }
        do {
            let (nodes, live) = try await options.withStore { store in try await read(store) }
            return ClusterHealth(nodes: nodes, live: live, now: now)
        } catch {
            DatastoreCommandIO.printError("Error: cannot read the cluster from the datastore: "
                + DatastoreCommandIO.message(for: error))
            throw LoadFailure(code: unreachable)
        }
    }

    /// Every node (with status) and the names holding a liveness key.
    static func read(_ store: ResourceStore) async throws -> ([Node], Set<String>) {
        let list = try await store.list(Node.self)
        DatastoreCommandIO.warn(about: list.rejected)
        let prefix = store.livenessKey(node: "")
        let liveness = try await store.datastore.list(prefix: prefix)
        let live = Set(liveness.items.map { String($0.key.dropFirst(prefix.count)) })
        return (list.items.map(\.resource), live)
    }

    /// A load that failed after its message was printed.
    struct LoadFailure: Error {
        /// The exit status to leave with.
        var code: Int32
    }
}
