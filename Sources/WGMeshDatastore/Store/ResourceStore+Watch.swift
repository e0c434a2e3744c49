public import WGMeshResources

extension ResourceStore {
    /// Typed changes of one kind from `revision` (inclusive) on.
    ///
    /// A bad record never ends the stream: it is reported in the batch's
    /// `rejected` and, when its key names a record, delivered as a deletion,
    /// because a list would no longer return that record either. Errors of
    /// the underlying watch (compaction, a closed store) end the stream as
    /// they are. Node events carry no status: status lives under its own
    /// prefix so that status writes do not wake every watcher of nodes.
    public func watch<R: Resource>(_ type: R.Type, from revision: Revision)
        -> AsyncThrowingStream<ResourceWatchBatch<R>, any Error>
    {
        let box = WatchIteratorBox(datastore.watch(prefix: prefix(for: R.self), from: revision).makeAsyncIterator())
        let store = self
        // Unfolding pulls one raw batch per typed batch, so no task of our
        // own runs behind the stream; cancelling the consumer cancels the
        // raw watch through its iterator.
        return AsyncThrowingStream(unfolding: {
            guard let batch = try await box.next() else { return nil }
            return store.convert(R.self, batch)
        })
    }

    /// Turns one raw batch into typed events and reported records.
    func convert<R: Resource>(_ type: R.Type, _ batch: WatchBatch) -> ResourceWatchBatch<R> {
        var events: [ResourceWatchEvent<R>] = []
        var rejected: [RejectedRecord] = []
        let kindPrefix = prefix(for: R.self)
        for event in batch.events {
            let kv = event.keyValue
            let parsed = try? RecordKey.parse(kv.key, prefix: kindPrefix, kind: R.kind).get()
            switch event.kind {
            case .put:
                switch decodeRecord(R.self, kv) {
                case .success(let stored): events.append(.upsert(stored))
                case .failure(let record):
                    rejections.report(record, logger: logger)
                    rejected.append(record)
                    if let parsed {
                        events.append(.deleted(name: parsed.name, namespace: parsed.namespace,
                                               revision: kv.modRevision))
                    }
                }
            case .delete:
                // A deleted key that never fit the layout never was a record.
                if let parsed {
                    events.append(.deleted(name: parsed.name, namespace: parsed.namespace, revision: kv.modRevision))
                }
            }
        }
        return ResourceWatchBatch(events: events, rejected: rejected, revision: batch.revision)
    }
}

/// Holds the raw watch's iterator for the unfolding closure.
///
/// `AsyncThrowingStream(unfolding:)` calls its closure for one element at a
/// time, never concurrently, so the iterator is never used from two places
/// at once; that is why the unchecked conformance is sound.
private final class WatchIteratorBox: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<WatchBatch, any Error>.AsyncIterator

    init(_ iterator: AsyncThrowingStream<WatchBatch, any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> WatchBatch? {
        try await iterator.next()
    }
}
