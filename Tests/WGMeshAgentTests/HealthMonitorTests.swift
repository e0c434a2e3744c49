import Synchronization
import Testing
@testable import WGMeshAgent
import WGMeshCore
import WGMeshResources

/// A clock the test moves by hand.
final class FakeHealthClock: Sendable {
    private let now = Mutex(ContinuousClock.now)
    func read() -> ContinuousClock.Instant { now.withLock { $0 } }
    func advance(_ duration: Duration) { now.withLock { $0 += duration } }
}

/// Readiness and health from the reconciler's outcomes.
@Suite("Health: readiness and problems")
struct HealthMonitorTests {
    let clock = FakeHealthClock()

    func monitor() -> HealthMonitor {
        let clock = clock
        return HealthMonitor(stallLimit: .seconds(300), failureLimit: .seconds(120), clock: { clock.read() })
    }

    func outcome(error: String? = nil) -> ReconcileOutcome {
        ReconcileOutcome(reason: "resync", duration: .milliseconds(1), summary: error == nil ? ApplySummary() : nil,
                         error: error, plan: MeshPlan(device: DesiredDevice(), mtu: 1420))
    }

    @Test("not ready until the first apply succeeds, then ready for good")
    func readiness() {
        let health = monitor()
        #expect(!health.isReady)
        #expect(health.startupProblem?.hasPrefix("starting: no apply yet") == true)
        health.record(outcome(error: "datastore unavailable"))
        #expect(!health.isReady)
        #expect(health.startupProblem?.contains("datastore unavailable") == true)
        health.record(outcome())
        #expect(health.isReady)
        #expect(health.startupProblem == nil)
        health.record(outcome(error: "EPERM"))
        #expect(health.isReady)
    }

    @Test("failures are a problem only after lasting longer than the limit", arguments: [
        (Duration.seconds(119), false), (Duration.seconds(121), true),
    ])
    func failureWindow(elapsed: Duration, unhealthy: Bool) {
        let health = monitor()
        health.record(outcome())
        health.record(outcome(error: "netlink: EPERM"))
        clock.advance(elapsed)
        health.record(outcome(error: "netlink: EPERM again"))
        #expect((health.problem != nil) == unhealthy)
        if unhealthy {
            #expect(health.problem?.contains("failed 2 times in a row") == true)
            #expect(health.problem?.contains("EPERM again") == true)
        }
    }

    @Test("one success clears the failures")
    func successClears() {
        let health = monitor()
        health.record(outcome(error: "x"))
        clock.advance(.seconds(200))
        health.record(outcome(error: "x"))
        #expect(health.problem != nil)
        health.record(outcome())
        #expect(health.problem == nil)
    }

    @Test("a loop that stops producing applies is stuck; the limit follows the resync interval")
    func stall() {
        let health = monitor()
        health.record(outcome())
        clock.advance(.seconds(299))
        #expect(health.problem == nil)
        clock.advance(.seconds(2))
        #expect(health.problem?.contains("stuck") == true)
        health.record(outcome())
        #expect(health.problem == nil)
        health.expectApplies(every: .seconds(10))  // floor: 2 minutes
        clock.advance(.seconds(121))
        #expect(health.problem != nil)
    }

    @Test("a loop that waits out a datastore outage keeps beating and stays healthy; a silent one does not")
    func outageBeats() {
        let health = monitor()
        health.record(outcome())
        for _ in 0..<10 {
            clock.advance(.seconds(60))
            health.heartbeat()
        }
        #expect(health.problem == nil, "ten minutes without applies, but the loop turned every minute")
        clock.advance(.seconds(301))
        #expect(health.problem?.contains("stuck") == true)
        health.heartbeat()
        #expect(health.problem == nil)
    }

    @Test("a node that never applies becomes unhealthy too")
    func neverApplied() {
        let health = monitor()
        clock.advance(.seconds(301))
        #expect(health.problem?.contains("no apply since start") == true)
    }

    @Test("the health command's reply")
    func json() throws {
        let health = monitor()
        guard case .object(let starting) = health.json else { Issue.record("not an object"); return }
        #expect(starting.members.map(\.key) == ["ready", "healthy", "problem"])
        #expect(starting.members[0].value == .bool(false))
        #expect(starting.members[1].value == .bool(true))
        guard case .string(let reason) = starting.members[2].value else { Issue.record("no reason"); return }
        #expect(reason.hasPrefix("starting"))
        health.record(outcome())
        #expect(health.json == .object(DocumentObject([("ready", .bool(true)), ("healthy", .bool(true)),
                                                       ("problem", .null)])))
    }
}
