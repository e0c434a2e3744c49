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

    /// A member's connection for unary calls and how many calls it has carried.
    struct UnarySlot: Sendable {
        var client: EtcdEndpointClient
        var uses = 0
    }

    /// etcd 3.4 ends many unary calls with RST_STREAM, and swift-nio-http2's
    /// rapid-reset guard (as grpc-swift-nio-transport configures it) closes a
    /// client connection after 200 of those in 10 s, failing every call in
    /// flight. So a unary connection carries at most this many calls and is
    /// then replaced by a fresh one while the old one drains gracefully.
    static let unaryCallsPerConnection = 100
    /// How long a replaced unary connection stays open for calls already handed it.
    static let retiredConnectionLinger = Duration.seconds(15)

    let options: EtcdOptions
    let logger: Logger
    /// One long-lived connection per member, for watches.
    let clients: [EtcdEndpointClient]
    /// One rotating connection per member, for unary calls.
    let unarySlots: Mutex<[UnarySlot]>
    let state = Mutex(State())
    private let jobs: AsyncStream<Job>.Continuation
    private let runner: Task<Void, Never>

    private init(options: EtcdOptions, logger: Logger, clients: [EtcdEndpointClient], unary: [EtcdEndpointClient]) {
        self.options = options
        self.logger = logger
        self.clients = clients
        self.unarySlots = Mutex(unary.map { UnarySlot(client: $0) })
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        runner = Task {
            await withDiscardingTaskGroup { group in
                for client in clients + unary {
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
        let unary = try options.endpoints.map { try EtcdEndpointClient(endpoint: $0, tls: options.tls) }
        let store = EtcdDatastore(options: options, logger: logger, clients: clients, unary: unary)
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

    /// The connection for the next unary call to member `index`, replacing a
    /// worn one (see ``unaryCallsPerConnection``).
    func unaryClient(_ index: Int) -> EtcdEndpointClient {
        let (client, retired) = unarySlots.withLock { slots -> (EtcdEndpointClient, EtcdEndpointClient?) in
            slots[index].uses += 1
            guard slots[index].uses > Self.unaryCallsPerConnection,
                  let fresh = try? EtcdEndpointClient(endpoint: slots[index].client.endpoint, tls: options.tls)
            else { return (slots[index].client, nil) }
            let old = slots[index].client
            slots[index] = UnarySlot(client: fresh, uses: 1)
            return (fresh, old)
        }
        if let retired {
            // Calls may start before runConnections does: the client queues them.
            _ = spawn { try? await client.grpc.runConnections() }
            // Close the old connection only once no caller can still be about
            // to start a call on it: a call opened after its GOAWAY would fail.
            let linger = Self.retiredConnectionLinger
            _ = spawn {
                try? await Task.sleep(for: linger)
                retired.grpc.beginGracefulShutdown()
            }
        }
        return client
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
