public import WGMeshDatastore

extension InMemoryDatastore {
    public func watch(prefix: String, from revision: Revision) -> AsyncThrowingStream<WatchBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchBatch.self, throwing: (any Error).self)
        // Registering and replaying under one lock: no transaction can slip
        // between the history a watch replays and the first live batch.
        let started = state.withLock { state in
            Result { () throws(DatastoreError) in
                try state.startWatch(prefix: prefix, from: revision, continuation: continuation)
            }
        }
        switch started {
        case .success(let id):
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
            }
        case .failure(let error):
            continuation.finish(throwing: error)
        }
        return stream
    }
}

extension InMemoryState {
    /// Registers a watch and hands it the retained history from `from` on.
    mutating func startWatch(prefix: String, from: Revision, continuation: WatchContinuation)
        throws(DatastoreError) -> Int
    {
        guard !closed else { throw DatastoreError(.closed, "the in-memory datastore was closed: open a new one") }
        // As in etcd, a start revision of 0 (or less) means "from the next change".
        let start = from > 0 ? from : revision + 1
        guard start >= compactRevision else {
            throw DatastoreError(
                .compacted, revision: compactRevision,
                "history before revision \(compactRevision) was compacted, so a watch cannot start at \(start): "
                    + "list again and watch from the list's revision + 1")
        }
        for entry in history where entry.revision >= start {
            let events = entry.events.filter { $0.keyValue.key.utf8.starts(with: prefix.utf8) }
            if !events.isEmpty { continuation.yield(WatchBatch(events: events, revision: entry.revision)) }
        }
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[id] = Watcher(prefix: prefix, continuation: continuation)
        return id
    }

    /// Hands one revision's events to every watch whose prefix they fall under.
    func publish(_ events: [WatchEvent], revision: Revision) {
        for watcher in watchers.values {
            let matching = events.filter { $0.keyValue.key.utf8.starts(with: watcher.prefix.utf8) }
            if !matching.isEmpty { watcher.continuation.yield(WatchBatch(events: matching, revision: revision)) }
        }
    }
}
