import Glibc
import Logging
import Synchronization
import ServiceLifecycle
import Testing
@testable import WGMeshAgent
import WGMeshCore
import WGMeshResources
import WGMeshSystem
import WGMeshTestSupport

/// A dataplane apply that blocks (a stopped wireguard-go, a stuck netlink call) must hold up
/// nothing but the reconciler: status, metrics, health and a rotation request all answer.
///
/// Before the reconciler got a thread of its own, its blocking apply ran on one of the
/// cooperative pool's two threads; with the control server's work on the other, `wgmesh status`
/// timed out in CI.
@Suite("A blocked apply delays nothing else", .serialized)
struct BlockedApplyServiceTests {
    /// The bound on every answer while the apply is blocked. Each normally takes milliseconds;
    /// before the fix each waited for the apply, so the bound tells the two apart.
    static let answerWithin: Duration = .seconds(1)

    @Test func statusMetricsHealthAndRotationAnswerWhileAnApplyIsBlocked() async throws {
        let folder = try makeTemporaryDirectory(prefix: "wgmesh-blocked")
        defer { _ = try? runProcess("/bin/rm", ["-rf", folder]) }
        // resyncInterval 50 ms: a drift-check apply comes at once, and it is the one held.
        var config = NodeServiceTests.config(in: folder)
        let port = try await MetricsNodeServiceTests.freePort()
        config.metricsAddress = "127.0.0.1:\(port)"
        let logs = CapturedLogs()
        let (group, running, dataplane) = try await MetricsNodeServiceTests.start(config, folder: folder, logs: logs)
        defer { running.cancel() }
        try await eventually("ready") { await rawHTTP(port: port, MetricsNodeServiceTests.get("/readyz")).hasPrefix("HTTP/1.1 200") }

        dataplane.holdApplies()
        try await eventually("an apply is blocked") { dataplane.isHoldingAnApply }
        let heldSince = ContinuousClock.now

        let socket = config.controlSocket
        let timeout = Int64(Self.answerWithin.wholeMilliseconds)
        let status = try await Self.within(Self.answerWithin) {
            try await BlockingWork.run { try ControlClient(path: socket).reply(to: .status, timeoutMilliseconds: timeout) }
        }
        guard case .result(let document)? = status else {
            Issue.record("status while an apply is blocked: \(String(describing: status))")
            return
        }
        #expect(try LocalStatus(json: document).nodeName == "node-a")

        let metrics = try await Self.within(Self.answerWithin) {
            await rawHTTP(port: port, MetricsNodeServiceTests.get("/metrics"))
        }
        #expect(metrics?.hasPrefix("HTTP/1.1 200") == true, "\(metrics?.prefix(200) ?? "no answer in time")")
        let health = try await Self.within(Self.answerWithin) {
            await rawHTTP(port: port, MetricsNodeServiceTests.get("/healthz"))
        }
        #expect(health?.hasPrefix("HTTP/1.1 200") == true, "\(health?.prefix(200) ?? "no answer in time")")

        // A rotation needs the reconciler: it is refused at once, and nothing changes.
        let rotation = try await Self.within(Self.answerWithin) {
            try await BlockingWork.run { try ControlClient(path: socket).reply(to: .rotateKey, timeoutMilliseconds: timeout) }
        }
        guard case .failure(let refusal)? = rotation else {
            Issue.record("rotate-key while an apply is blocked: \(String(describing: rotation))")
            return
        }
        #expect(refusal.code == .unavailable)
        #expect(refusal.message.contains("no key was changed"), "\(refusal.message)")
        #expect(dataplane.isHoldingAnApply, "the apply was still blocked throughout")
        #expect(ContinuousClock.now - heldSince < .seconds(10))

        let appliesBefore = dataplane.applies.count
        dataplane.releaseApplies()
        try await eventually("the held apply finishes") { dataplane.applies.count > appliesBefore }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// The body's result, or nil when it took longer than `limit`. The body then runs on in a
    /// task of its own (it may wait for the very apply the test holds) and its result is dropped.
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T?
    {
        let settled = Atomic<Bool>(false)
        let outcome: Result<T?, any Error> = await withCheckedContinuation { done in
            let once = { @Sendable (result: Result<T?, any Error>) in
                if !settled.exchange(true, ordering: .acquiringAndReleasing) { done.resume(returning: result) }
            }
            Task {
                do { once(.success(try await body())) } catch { once(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                once(.success(nil))
            }
        }
        return try outcome.get()
    }
}
