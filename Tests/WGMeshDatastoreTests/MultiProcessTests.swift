import Testing
import WGMeshDatastore

/// Several processes on one store at once, through wgmesh-dstool: no lost
/// update, and watches that see other processes' writes in order.
@Suite struct MultiProcessTests {
    @Test(arguments: MultiProcessTarget.all)
    func concurrentIncrementsLoseNoUpdate(_ target: MultiProcessTarget) async throws {
        try #require(DatastoreTool.exists, "build the tool first: swift build --build-tests (\(DatastoreTool.path))")
        let url = try await target.makeURL()
        let key = ConformanceStore.uniquePrefix() + "counter"
        let (writers, increments) = (4, 50)

        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<writers {
                group.addTask { try await DatastoreTool.succeed(["incr", url, key, "\(increments)"]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Each writer says how often it lost a race; that it can be > 0 is the point of CAS.
        let retries = outputs.compactMap { $0.split(separator: " ").last.flatMap { Int($0.trimmingCharacters()) } }
        #expect(retries.count == writers, "\(outputs)")

        #expect(try await DatastoreTool.succeed(["get", url, key]) == "\(writers * increments)\n")
        let store = try await MultiProcessTarget.open(url)
        let stored = try await store.get(key)
        await store.close()
        // One successful write per increment, and nothing else.
        #expect(stored?.version == Int64(writers * increments))
    }

    @Test(arguments: MultiProcessTarget.all)
    func aWatcherProcessSeesEveryRevisionInOrder(_ target: MultiProcessTarget) async throws {
        try #require(DatastoreTool.exists, "build the tool first: swift build --build-tests (\(DatastoreTool.path))")
        try await target.gated {
            let url = try await target.makeURL()
            let prefix = ConformanceStore.uniquePrefix()
            let key = prefix + "counter"
            let (writers, increments) = (3, 20)
            let total = writers * increments
            let store = try await MultiProcessTarget.open(url)
            let start = try await store.list(prefix: prefix).revision + 1
            await store.close()

            // The watcher starts first, from a fixed revision, so no write can slip past it.
            async let watched = DatastoreTool.succeed(["watch", url, prefix, "\(total)", "\(start)"])
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<writers {
                    group.addTask { try await DatastoreTool.succeed(["incr", url, key, "\(increments)"]) }
                }
                try await group.waitForAll()
            }
            let lines = ToolWatchLine.parse(try await watched)
            #expect(lines.count == total)
            let events = lines.compactMap { $0 }
            #expect(events.count == lines.count, "every line has the documented form")
            #expect(events.allSatisfy { $0.kind == "put" && $0.key == key })
            // The counter's values in revision order are 1, 2, 3, ...: each
            // revision seen once, none skipped, none out of order.
            #expect(events.map(\.value) == (1...total).map { "\($0)" })
            let revisions = events.map(\.revision)
            #expect(zip(revisions, revisions.dropFirst()).allSatisfy { $0 < $1 })
            #expect(revisions.first.map { $0 >= start } ?? false)
        }
    }

    @Test(arguments: MultiProcessTarget.all)
    func aWriteInOneProcessWakesAWatchInAnother(_ target: MultiProcessTarget) async throws {
        try #require(DatastoreTool.exists, "build the tool first: swift build --build-tests (\(DatastoreTool.path))")
        try await target.gated {
            let url = try await target.makeURL()
            let prefix = ConformanceStore.uniquePrefix()
            let store = try await MultiProcessTarget.open(url)

            // This process watches; the tool writes. On SQLite the watch is
            // already waiting when the write lands, so only the cross-process
            // wake-up (inotify) can deliver it.
            let start = try await store.list(prefix: prefix).revision + 1
            let recorder = WatchRecorder(store.watch(prefix: prefix, from: start))
            let printed = try await DatastoreTool.succeed(["put", url, prefix + "a", "from another process"])
            let revision = Revision(printed.trimmingCharacters())
            do {
                let events = try await recorder.waitForEvents(1)
                #expect(events.map(\.keyValue.key) == [prefix + "a"])
                #expect(events.map { text($0.keyValue.value) } == ["from another process"])
                #expect(events.map(\.keyValue.modRevision) == [try #require(revision)])
            } catch {
                recorder.cancel()
                await store.close()
                throw error
            }
            recorder.cancel()

            // And the other way: the tool watches, this process writes.
            let from = try await store.list(prefix: prefix).revision + 1
            async let watched = DatastoreTool.succeed(["watch", url, prefix, "2", "\(from)"])
            let put = try await store.put(prefix + "b", value: bytes("from the test"))
            let deleted = try await store.delete(prefix + "a")
            await store.close()
            let lines = ToolWatchLine.parse(try await watched)
            #expect(deleted)
            let events = lines.compactMap { $0 }
            try #require(events.count == 2, "\(lines)")
            #expect(events[0] == ToolWatchLine(revision: put, kind: "put", key: prefix + "b", value: "from the test"))
            #expect(events[1].kind == "delete" && events[1].key == prefix + "a" && events[1].value.isEmpty)
            // On the shared etcd member other tests' writes may come in between.
            #expect(events[1].revision > put)
        }
    }

    @Test func theToolRefusesBadInputClearlyAndChangesNothing() async throws {
        try #require(DatastoreTool.exists, "build the tool first: swift build --build-tests (\(DatastoreTool.path))")
        let url = "sqlite://" + (try TemporaryFiles.databasePath())
        let key = "/tool/not-a-counter"
        _ = try await DatastoreTool.succeed(["put", url, key, "hello"])

        let notCounter = try await DatastoreTool.run(["incr", url, key, "3"])
        #expect(notCounter.status == 1)
        #expect(notCounter.standardError.contains("not a decimal counter"))
        #expect(try await DatastoreTool.succeed(["get", url, key]) == "hello\n")

        let missing = try await DatastoreTool.run(["get", url, "/tool/missing"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("/tool/missing does not exist"))

        for arguments in [["bogus"], ["incr", url, key], ["watch", url, "/p", "x"], []] {
            let result = try await DatastoreTool.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardError.contains("usage: wgmesh-dstool"), "\(arguments)")
        }
        let badURL = try await DatastoreTool.run(["get", "http://x", key])
        #expect(badURL.status == 1)
        #expect(badURL.standardError.contains("sqlite:///absolute/path"), "the error lists the accepted forms")
    }
}

extension StringProtocol {
    /// The text without surrounding spaces and newlines.
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\n" }.reversed())
    }
}
