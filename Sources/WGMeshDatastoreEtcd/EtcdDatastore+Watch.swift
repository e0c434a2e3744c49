internal import EtcdAPI
internal import GRPCCore
internal import Synchronization
public import WGMeshDatastore

extension EtcdDatastore {
    /// Watches `prefix` from `revision` over a Watch stream. When the stream
    /// breaks (a member died or lost its leader), the watch reopens on the
    /// next member from the revision after the last one delivered, so no
    /// event is lost or repeated.
    public func watch(prefix: String, from revision: Revision) -> AsyncThrowingStream<WatchBatch, any Error> {
        let (stream, output) = AsyncThrowingStream.makeStream(of: WatchBatch.self)
        let (stopped, stop) = AsyncStream.makeStream(of: Never.self)
        output.onTermination = { _ in stop.finish() }
        let started = spawn { [self] in
            // Runs until the watch ends by itself, the reader goes away, or close().
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.runWatch(prefix: prefix, from: revision, output: output) }
                group.addTask { for await _ in stopped {} }
                await group.next()
                group.cancelAll()
            }
            output.finish(throwing: Self.closedError)
        }
        if !started { output.finish(throwing: Self.closedError) }
        return stream
    }

    /// Opens watch streams one after another until one ends the watch.
    private func runWatch(prefix: String, from revision: Revision,
                          output: AsyncThrowingStream<WatchBatch, any Error>.Continuation) async
    {
        let cursor = WatchCursor(next: revision)
        var index = state.withLock { $0.preferred }
        var backoff = Duration.milliseconds(25)
        var failures = 0
        while !Task.isCancelled {
            let client = clients[index]
            do {
                let end = try await watchStream(client, prefix: prefix, cursor: cursor, output: output)
                switch end {
                case .finished(let error):
                    if let error { output.finish(throwing: error) } else { output.finish() }
                    return
                case .reset:
                    failures = 0
                    backoff = .milliseconds(25)
                    continue
                }
            } catch {
                if Task.isCancelled { return }
                let failure = EtcdFailure(error)
                switch failure.kind {
                case .final(.permissionDenied), .final(.authenticationFailed):
                    output.finish(throwing: DatastoreError(
                        .permissionDenied, key: prefix,
                        "etcd refused to watch \(prefix) (\(failure.message)): grant read access to the prefix"))
                    return
                case .invalidToken where options.username != nil:
                    try? await authenticate()
                default:
                    break
                }
                failures += 1
                // Quiet during a failover; loud when it goes on.
                logger.log(level: failures >= 5 ? .warning : .debug,
                           "etcd watch stream broke; reopening on the next member",
                           metadata: ["etcd.endpoint": "\(client.endpoint)", "etcd.error": "\(failure.message)",
                                      "etcd.revision": "\(cursor.next)"])
            }
            index = (index + 1) % clients.count
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(1))
        }
    }

    /// How one watch stream ended.
    private enum StreamEnd: Sendable {
        /// The watch is over: the reader left, or etcd ended it (compaction, permission).
        case finished((any Error)?)
        /// etcd closed the stream cleanly: open another.
        case reset
    }

    private func watchStream(_ client: EtcdEndpointClient, prefix: String, cursor: WatchCursor,
                             output: AsyncThrowingStream<WatchBatch, any Error>.Continuation) async throws -> StreamEnd
    {
        let bytes = Array(prefix.utf8)
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = .init(EtcdKeys.rangeStart(ofPrefix: bytes))
        create.rangeEnd = .init(EtcdKeys.rangeEnd(ofPrefix: bytes))
        create.startRevision = cursor.next
        create.progressNotify = true
        var request = Etcdserverpb_WatchRequest()
        request.createRequest = create
        var options = CallOptions.defaults
        options.waitForReady = false
        return try await client.watch.watch(
            metadata: metadata(), options: options,
            requestProducer: { [request] writer in
                try await writer.write(request)
                // Keep our side open: some proxies end the watch on half-close.
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            },
            onResponse: { response in
                for try await reply in response.messages {
                    if let end = Self.handle(reply, prefix: prefix, cursor: cursor, output: output) { return end }
                }
                return .reset
            })
    }

    /// Delivers one WatchResponse; returns how the watch ends, if it does.
    private static func handle(_ reply: Etcdserverpb_WatchResponse, prefix: String, cursor: WatchCursor,
                               output: AsyncThrowingStream<WatchBatch, any Error>.Continuation) -> StreamEnd?
    {
        if reply.compactRevision > 0 {
            return .finished(DatastoreError(
                .compacted, key: prefix, revision: reply.compactRevision,
                "etcd compacted the history of \(prefix) up to revision \(reply.compactRevision): "
                    + "list again and watch from the list's revision + 1"))
        }
        if reply.canceled {
            let code: DatastoreError.Code = reply.cancelReason.contains("permission denied")
                ? .permissionDenied : .unavailable
            return .finished(DatastoreError(
                code, key: prefix, "etcd cancelled the watch on \(prefix): \(reply.cancelReason)"))
        }
        if reply.created {
            // A watch "from now" learns here which revision now is.
            if cursor.next <= 0 { cursor.next = reply.header.revision + 1 }
            return nil
        }
        let batch: WatchBatch
        if let last = reply.events.last {
            // The header may be ahead of the events while etcd is still
            // catching up, so only the last event's revision is certain.
            batch = WatchBatch(events: reply.events.map(Self.event), revision: last.kv.modRevision)
        } else {
            // etcd sends progress only to watchers that are caught up.
            guard reply.header.revision >= cursor.next else { return nil }
            batch = WatchBatch(events: [], revision: reply.header.revision)
        }
        cursor.next = batch.revision + 1
        if case .terminated = output.yield(batch) { return .finished(nil) }
        return nil
    }

    static func event(_ event: Mvccpb_Event) -> WatchEvent {
        switch event.type {
        case .delete:
            let key = String(decoding: event.kv.key, as: UTF8.self)
            return WatchEvent(kind: .delete, keyValue: KeyValue(
                key: key, value: [], createRevision: 0, modRevision: event.kv.modRevision, version: 0))
        default:
            return WatchEvent(kind: .put, keyValue: keyValue(event.kv))
        }
    }
}

/// The next revision a watch must deliver, kept across its streams.
final class WatchCursor: Sendable {
    private let value: Atomic<Int64>

    init(next: Revision) { value = Atomic(next) }

    var next: Revision {
        get { value.load(ordering: .sequentiallyConsistent) }
        set { value.store(newValue, ordering: .sequentiallyConsistent) }
    }
}
