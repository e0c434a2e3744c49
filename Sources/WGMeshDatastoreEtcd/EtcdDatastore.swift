internal import EtcdAPI
internal import GRPCCore
public import Logging
internal import Synchronization
public import WGMeshDatastore

/// The ``Datastore`` over an etcd v3 cluster, spoken to over gRPC.
///
/// Requests go to one member at a time (the last one that answered) and move
/// to the next when it fails, within ``EtcdOptions/requestTimeout``. Reads
/// are linearizable. Writes are retried on another member only when they
/// certainly did not reach etcd, or when repeating them is harmless (a write
/// without conditions); a conditional write whose outcome is unknown fails
/// with ``DatastoreError/Code-swift.struct/unavailable`` and a reason saying
/// to read again, because repeating it could report a conflict with itself.
///
/// Every connection and watch runs in one task that `close()` cancels.
public final class EtcdDatastore: Datastore {
    /// Work that runs inside the datastore's task group until it returns or `close()`.
    typealias Job = @Sendable () async -> Void

    struct State: Sendable {
        /// The member that answered last; requests start there.
        var preferred = 0
        /// The auth token etcd gave for the user name and password.
        var token: String?
        /// Set by `close()`.
        var closed = false
    }

    let options: EtcdOptions
    let logger: Logger
    let clients: [EtcdEndpointClient]
    let state = Mutex(State())
    private let jobs: AsyncStream<Job>.Continuation
    private let runner: Task<Void, Never>

    private init(options: EtcdOptions, logger: Logger, clients: [EtcdEndpointClient]) {
        self.options = options
        self.logger = logger
        self.clients = clients
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        runner = Task {
            await withDiscardingTaskGroup { group in
                for client in clients {
                    group.addTask { try? await client.grpc.runConnections() }
                }
                for await job in stream { group.addTask { await job() } }
                // close() finished the job stream: stop the watches and connections.
                group.cancelAll()
            }
        }
    }

    deinit { jobs.finish() }

    /// Connects to the cluster: checks that a member answers within the dial
    /// timeout and, with a user name, logs in.
    public static func connect(_ options: EtcdOptions, logger: Logger) async throws -> EtcdDatastore {
        guard !options.endpoints.isEmpty else {
            throw DatastoreError(.invalidConfiguration, "no etcd endpoint given: name at least one host:port")
        }
        if options.username != nil, options.password == nil {
            throw DatastoreError(
                .invalidConfiguration,
                "etcd user \(options.username!) has no password: give a password file, or drop the user name")
        }
        let clients = try options.endpoints.map { try EtcdEndpointClient(endpoint: $0, tls: options.tls) }
        let store = EtcdDatastore(options: options, logger: logger, clients: clients)
        do {
            if options.username != nil {
                try await store.authenticate()
            } else {
                _ = try await store.call("status", retry: .always, within: options.dialTimeout) { client, metadata, call in
                    try await client.maintenance.status(.init(), metadata: metadata, options: call)
                }
            }
        } catch {
            await store.close()
            throw error
        }
        logger.debug("connected to etcd", metadata: ["etcd.endpoints": "\(options.endpoints)"])
        return store
    }

    /// Stops every watch (they finish with `closed`) and connection.
    public func close() async {
        state.withLock { $0.closed = true }
        jobs.finish()
        await runner.value
    }

    /// Runs `job` in the datastore's task group; false once closed.
    func spawn(_ job: @escaping Job) -> Bool {
        if state.withLock({ $0.closed }) { return false }
        if case .enqueued = jobs.yield(job) { return true }
        return false
    }

    /// The error for a request after `close()`.
    static let closedError = DatastoreError(.closed, "the etcd datastore was closed: open it again")
}
