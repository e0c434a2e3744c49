import Testing
import WGMeshDatastore

/// Watches: exactly the changes from a revision on, in order, resumable,
/// and told when history was compacted away.
@Suite struct ConformanceWatchTests {
    @Test(arguments: ConformanceBackend.all)
    func watchFromARevisionDeliversExactlyTheChangesFromThere(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let (a, b, w) = (store.key("w/a"), store.key("w/b"), store.prefix + "w/")
            let r1 = try await store.datastore.put(a, value: bytes("a1"))
            let r2 = try await store.datastore.put(b, value: bytes("b1"))
            let r3 = try await store.datastore.update(a, value: bytes("a2"), expected: r1)
            // Next to the prefix, never part of the watch.
            try await store.datastore.put(store.key("w0"), value: bytes("sibling"))
            #expect(try await store.datastore.delete(b))
            let r4 = try await store.datastore.list(prefix: w).revision

            let recorder = WatchRecorder(store.datastore.watch(prefix: w, from: r2))
            defer { recorder.cancel() }
            let history = try await recorder.waitForEvents(3)
            #expect(history.map(\.kind) == [.put, .put, .delete])
            #expect(history.map(\.keyValue.key) == [b, a, b])
            #expect(history.map { text($0.keyValue.value) } == ["b1", "a2", ""])
            #expect(history[0].keyValue.modRevision == r2)
            #expect(history[0].keyValue.createRevision == r2)
            #expect(history[0].keyValue.version == 1)
            #expect(history[1].keyValue.modRevision == r3)
            #expect(history[1].keyValue.createRevision == r1)
            #expect(history[1].keyValue.version == 2)
            #expect(history[2].keyValue.modRevision > r3)
            #expect(history[2].keyValue.modRevision <= r4)
            #expect(history[2].keyValue.version == 0)

            // Live changes follow; the next event must be the sentinel, or
            // something was delivered that should not have been.
            try await store.datastore.put(store.key("w0"), value: bytes("sibling again"))
            let sentinel = try await store.datastore.put(store.key("w/sentinel"), value: bytes("s"))
            let all = try await recorder.waitForEvents(4)
            #expect(all.count == 4, "\(describe(all))")
            #expect(all.last?.keyValue.key == store.key("w/sentinel"))
            #expect(all.last?.keyValue.modRevision == sentinel)
            for batch in recorder.batches {
                #expect(batch.events.allSatisfy { $0.keyValue.modRevision <= batch.revision })
            }
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func aTransactionsEventsShareOneRevisionInOperationOrder(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            for name in ["x/gone1", "x/gone2", "x/c"] { try await store.datastore.put(store.key(name), value: bytes("0")) }
            let start = try await currentRevision(store) + 1
            let recorder = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            defer { recorder.cancel() }
            let result = try await store.datastore.transaction([], [
                .put(store.key("x/b"), value: bytes("1"), lease: nil),
                .deletePrefix(store.key("x/gone")),
                .put(store.key("x/a"), value: bytes("2"), lease: nil),
            ])
            let events = try await recorder.waitForEvents(4)
            #expect(events.allSatisfy { $0.keyValue.modRevision == result.revision })
            #expect(events.first?.keyValue.key == store.key("x/b"))
            #expect(events.last?.keyValue.key == store.key("x/a"))
            #expect(Set(events[1...2].map(\.keyValue.key)) == [store.key("x/gone1"), store.key("x/gone2")])
            #expect(events[1...2].allSatisfy { $0.kind == .delete })
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func twoWatchersSeeTheSameSequence(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let start = try await currentRevision(store) + 1
            let first = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            let second = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            defer {
                first.cancel()
                second.cancel()
            }
            var expected = 0
            for round in 0..<10 {
                let key = store.key("k\(round % 3)")
                try await store.datastore.put(key, value: bytes("\(round)"))
                expected += 1
                if round % 4 == 3 {
                    #expect(try await store.datastore.delete(key))
                    expected += 1
                }
            }
            let one = try await first.waitForEvents(expected)
            let two = try await second.waitForEvents(expected)
            #expect(one == two)
            #expect(one.count == expected)
            let revisions = one.map(\.keyValue.modRevision)
            #expect(revisions == revisions.sorted())
            #expect(Set(revisions).count == expected, "one write, one revision")
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func resumingFromTheLastRevisionRepeatsNothingAndLosesNothing(_ backend: ConformanceBackend) async throws {
        try await backend.withStore { store in
            let start = try await currentRevision(store) + 1
            let first = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: start))
            for index in 0..<5 { try await store.datastore.put(store.key("r\(index)"), value: bytes("\(index)")) }
            let early = try await first.waitForEvents(5)
            // The last batch may be a progress batch; it still says how far we are.
            let resumeAt = first.lastRevision + 1
            first.cancel()

            // Written while nobody watches.
            for index in 5..<10 { try await store.datastore.put(store.key("r\(index)"), value: bytes("\(index)")) }
            let second = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: resumeAt))
            defer { second.cancel() }
            let late = try await second.waitForEvents(5)
            try await store.datastore.put(store.key("sentinel"), value: bytes("s"))
            let lateAll = try await second.waitForEvents(6)
            #expect(lateAll.count == 6, "\(describe(lateAll))")
            let values = (early.prefix(5) + late.prefix(5)).map { text($0.keyValue.value) }
            #expect(values == (0..<10).map { "\($0)" })
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func aCompactedRevisionEndsTheWatchAndARelistRecovers(_ backend: ConformanceBackend) async throws {
        // Compaction is store-wide: hold the shared store alone.
        try await backend.withStore(exclusive: true) { store in
            let key = store.key("c")
            let r1 = try await store.datastore.put(key, value: bytes("1"))
            try await store.datastore.put(key, value: bytes("2"))
            let r3 = try await store.datastore.put(key, value: bytes("3"))
            try await store.datastore.compact(before: r3)

            let stale = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: r1))
            let ending = try await stale.waitForEnd()
            let error = try #require(ending as? DatastoreError, "\(String(describing: ending))")
            #expect(error.code == .compacted)
            #expect(error.revision == r3)
            #expect(stale.events.isEmpty)

            // From the oldest revision kept, the history is still there.
            let kept = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: r3))
            defer { kept.cancel() }
            #expect(try await kept.waitForEvents(1).first.map { text($0.keyValue.value) } == "3")

            // The recovery a watcher does: relist, then watch from the list's revision + 1.
            let list = try await store.datastore.list(prefix: store.prefix)
            #expect(list.items.map { text($0.value) } == ["3"])
            let fresh = WatchRecorder(store.datastore.watch(prefix: store.prefix, from: list.revision + 1))
            defer { fresh.cancel() }
            let r4 = try await store.datastore.put(key, value: bytes("4"))
            let events = try await fresh.waitForEvents(1)
            #expect(events.map(\.keyValue.modRevision) == [r4])
            #expect(events.map { text($0.keyValue.value) } == ["4"])
        }
    }

    @Test(arguments: ConformanceBackend.all)
    func closingTheStoreFinishesItsWatches(_ backend: ConformanceBackend) async throws {
        // Its own store, not the harness's: this case closes it.
        try await backend.withGate {
            let datastore = try await backend.makeStore()
            let prefix = ConformanceStore.uniquePrefix()
            let start = try await datastore.list(prefix: prefix).revision + 1
            let recorder = WatchRecorder(datastore.watch(prefix: prefix, from: start))
            try await datastore.put(prefix + "k", value: bytes("v"))
            try await recorder.waitForEvents(1)
            await datastore.close()
            let ending = try await recorder.waitForEnd()
            let error = try #require(ending as? DatastoreError, "\(String(describing: ending))")
            #expect(error.code == .closed)
        }
    }
}
