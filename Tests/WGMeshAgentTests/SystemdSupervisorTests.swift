import Glibc
import Logging
import Synchronization
import Testing
import WGMeshCore
import WGMeshTestSupport
@testable import WGMeshAgent

/// What the node tells systemd, and that an unhealthy node stops the watchdog.
@Suite struct SystemdSupervisorTests {
    static func peer(_ number: UInt8, _ state: PeerState) -> PeerReport {
        PeerReport(nodeName: "n\(number)", publicKey: try! WireGuardKey(rawBytes: [UInt8](repeating: number, count: 32)),
                   endpoint: nil, allowedIPs: [], latestHandshake: nil, receivedBytes: 0, sentBytes: 0, state: state,
                   reason: "")
    }

    static func status(_ peers: [PeerReport]) -> LocalStatus {
        LocalStatus(nodeName: "n0", interfaceName: "wgmesh0", publicKey: nil, listenPort: 51820, fwmark: 0,
                    backend: "userspace", mtu: 1420, observedAt: 0, peers: peers)
    }

    @Test func summaryCountsPeersBySeverity() {
        #expect(SystemdSupervisor.summary(Self.status([])) == "wgmesh0: no peers")
        #expect(SystemdSupervisor.summary(Self.status([Self.peer(1, .ok)])) == "wgmesh0: 1 peer, 1 ok")
        #expect(SystemdSupervisor.summary(Self.status([Self.peer(1, .ok), Self.peer(2, .ok), Self.peer(3, .ok)]))
                    == "wgmesh0: 3 peers, 3 ok")
        let mixed = [Self.peer(1, .stale), Self.peer(2, .ok), Self.peer(3, .missing), Self.peer(4, .ok)]
        #expect(SystemdSupervisor.summary(Self.status(mixed)) == "wgmesh0: 4 peers: 2 ok, 1 stale, 1 missing")
    }

    @Test func statusIsOneLineLedByTheProblem() {
        #expect(SystemdSupervisor.statusLine(summary: "wgmesh0: no peers", problem: nil) == "STATUS=wgmesh0: no peers")
        let line = SystemdSupervisor.statusLine(summary: "wgmesh0: no peers", problem: "applies fail:\nEPERM")
        #expect(line == "STATUS=unhealthy: applies fail: EPERM; wgmesh0: no peers")
    }

    @Test func beatPingsOnlyWhileHealthy() {
        #expect(SystemdSupervisor.beat(watchdog: true, problem: nil, status: "STATUS=a", shown: "STATUS=a")
                    == "WATCHDOG=1")
        #expect(SystemdSupervisor.beat(watchdog: true, problem: nil, status: "STATUS=b", shown: "STATUS=a")
                    == "WATCHDOG=1\nSTATUS=b")
        #expect(SystemdSupervisor.beat(watchdog: true, problem: "stuck", status: "STATUS=c", shown: "STATUS=b")
                    == "STATUS=c")
        #expect(SystemdSupervisor.beat(watchdog: true, problem: "stuck", status: "STATUS=c", shown: "STATUS=c") == nil)
        #expect(SystemdSupervisor.beat(watchdog: false, problem: nil, status: "STATUS=c", shown: "STATUS=c") == nil)
    }

    /// The whole loop on a real socket: READY, pings, a problem that stops
    /// them (every tick still sends a STATUS, since the summary changes
    /// each time, so no ping can hide in a gap), recovery, STOPPING.
    @Test func unhealthyNodeStopsPingingUntilItRecovers() async throws {
        let listener = try NotifySocketForTests(abstract: "wgmesh-supervisor-\(getpid())")
        let problem = Mutex<String?>(nil)
        let ticks = Mutex(0)
        let supervisor = SystemdSupervisor(
            notifier: SystemdNotifier(address: .abstract("wgmesh-supervisor-\(getpid())"),
                                      watchdogInterval: .milliseconds(40)),
            isReady: { true },
            problem: { problem.withLock { $0 } },
            summary: { "tick \(ticks.withLock { $0 += 1; return $0 })" },
            logger: Logger(label: "test"))
        let task = Task { await supervisor.run() }

        let start = try #require(await listener.receive(until: { $0.hasPrefix("READY=1") }))
        #expect(start.first == "STATUS=starting: waiting for the first apply")
        #expect(start.last?.notifyLines.last?.hasPrefix("STATUS=tick") == true)
        let healthy = try #require(await listener.receive(until: { _ in true }))
        #expect(healthy[0].notifyLines.first == "WATCHDOG=1")

        problem.withLock { $0 = "applies fail" }
        let sick = try #require(await listener.receive(until: { $0.contains("STATUS=unhealthy: applies fail") }))
        #expect(!sick.last!.contains("WATCHDOG=1"))
        for _ in 0..<3 {
            let message = try #require(await listener.receive())
            #expect(message.hasPrefix("STATUS=unhealthy"))
            #expect(!message.contains("WATCHDOG=1"))
        }

        problem.withLock { $0 = nil }
        _ = try #require(await listener.receive(until: { $0.hasPrefix("WATCHDOG=1") }))
        task.cancel()
        let end = try #require(await listener.receive(until: { $0.hasPrefix("STOPPING=1") }))
        #expect(end.last == "STOPPING=1\nSTATUS=stopping")
        await task.value
    }

    /// The node's own HealthMonitor behind the supervisor, as systemdParts
    /// wires it: READY waits for the first good apply; applies failing past
    /// the monitor's limit stop the pings, and a good apply brings them back.
    @Test func healthMonitorDrivesReadinessAndTheWatchdog() async throws {
        let name = "wgmesh-supervisor-health-\(getpid())"
        let listener = try NotifySocketForTests(abstract: name)
        let clock = FakeHealthClock()
        let health = HealthMonitor(stallLimit: .seconds(300), failureLimit: .seconds(120), clock: { clock.read() })
        let ticks = Mutex(0)
        let supervisor = SystemdSupervisor(
            notifier: SystemdNotifier(address: .abstract(name), watchdogInterval: .milliseconds(40)),
            isReady: { health.isReady }, problem: { health.problem },
            summary: { "tick \(ticks.withLock { $0 += 1; return $0 })" }, logger: Logger(label: "test"))
        func outcome(_ error: String?) -> ReconcileOutcome {
            ReconcileOutcome(reason: "change", duration: .milliseconds(1), summary: error == nil ? ApplySummary() : nil,
                             error: error, plan: MeshPlan(device: DesiredDevice(), mtu: 1420))
        }
        let task = Task { await supervisor.run() }
        #expect(await listener.receive() == "STATUS=starting: waiting for the first apply")
        health.record(outcome("datastore unavailable"))
        health.record(outcome(nil))
        _ = try #require(await listener.receive(until: { $0.hasPrefix("READY=1") }))
        _ = try #require(await listener.receive(until: { $0.hasPrefix("WATCHDOG=1") }))

        health.record(outcome("EPERM adding a route"))
        clock.advance(.seconds(121))
        health.record(outcome("EPERM adding a route"))
        let sick = try #require(await listener.receive(until: { $0.contains("STATUS=unhealthy") }))
        #expect(sick.last!.contains("EPERM adding a route"))
        #expect(!sick.last!.contains("WATCHDOG=1"))
        for _ in 0..<3 { #expect(await listener.receive()?.contains("WATCHDOG=1") == false) }

        health.record(outcome(nil))
        _ = try #require(await listener.receive(until: { $0.hasPrefix("WATCHDOG=1") }))
        task.cancel()
        await task.value
    }

    /// A node that never becomes ready still says READY after the cap,
    /// and one cancelled while waiting says only STOPPING.
    @Test func readinessWaitIsBounded() async throws {
        let name = "wgmesh-supervisor-wait-\(getpid())"
        let listener = try NotifySocketForTests(abstract: name)
        let supervisor = SystemdSupervisor(
            notifier: SystemdNotifier(address: .abstract(name)), isReady: { false }, problem: { nil },
            summary: { "wgmesh0: no peers" }, readyWait: .milliseconds(200), logger: Logger(label: "test"))
        let task = Task { await supervisor.run() }
        let start = try #require(await listener.receive(until: { $0.hasPrefix("READY=1") }))
        #expect(start.last == "READY=1\nSTATUS=wgmesh0: no peers")
        task.cancel()
        await task.value
        #expect(await listener.receive() == "STOPPING=1\nSTATUS=stopping")

        let waiting = SystemdSupervisor(
            notifier: SystemdNotifier(address: .abstract(name)), isReady: { false }, problem: { nil },
            summary: { "" }, readyWait: .seconds(600), logger: Logger(label: "test"))
        let cancelled = Task { await waiting.run() }
        #expect(await listener.receive() == "STATUS=starting: waiting for the first apply")
        cancelled.cancel()
        await cancelled.value
        #expect(await listener.receive() == "STOPPING=1\nSTATUS=stopping")
    }
}
