import Logging

/// Keeps systemd informed while the node runs: `READY=1` once, then
/// `WATCHDOG=1` every half interval while healthy, `STATUS=` lines when
/// the summary changes, and `STOPPING=1` when cancelled.
///
/// Withholding `WATCHDOG=1` is the point of the watchdog: a node whose
/// health reports a problem (reconciles failing, loop stuck) lets the
/// timer run out, and systemd restarts it (Restart=on-failure); the
/// dataplane stays in place across the restart.
struct SystemdSupervisor: Sendable {
    /// Where the messages go.
    var notifier: SystemdNotifier
    /// Whether start-up is over (the first apply succeeded).
    var isReady: @Sendable () -> Bool
    /// Why the node is unhealthy now; nil when healthy.
    var problem: @Sendable () -> String?
    /// One line saying what the node does, e.g. "wgmesh0: 3 peers, 3 ok".
    var summary: @Sendable () async -> String
    /// The longest wait for `isReady` before READY=1 is sent anyway: the
    /// node is up and serving by then, and a first apply that keeps failing
    /// is the watchdog's business, not a reason to fail the start.
    var readyWait: Duration = .seconds(30)
    /// How often STATUS is refreshed when the unit has no watchdog.
    var statusInterval: Duration = .seconds(15)
    /// The service's logger.
    var logger: Logger

    /// The time between two ticks: half the watchdog interval, so one late
    /// tick does not trip the watchdog (sd_watchdog_enabled's advice).
    var tick: Duration { notifier.watchdogInterval.map { $0 / 2 } ?? statusInterval }

    /// Runs until cancelled; sends STOPPING=1 on the way out.
    func run() async {
        defer { send("STOPPING=1\nSTATUS=stopping") }
        guard await waitUntilReady() else { return }
        var shown = await statusLine()
        send("READY=1\n" + shown)
        logger.info("told systemd the node is ready",
                    metadata: ["systemd.watchdog": "\(notifier.watchdogInterval.map { "\($0)" } ?? "off")"])
        var withheld = false
        while (try? await Task.sleep(for: tick)) != nil {
            let problem = problem()
            let line = await statusLine(problem: problem)
            if let message = Self.beat(watchdog: notifier.watchdogInterval != nil, problem: problem,
                                       status: line, shown: shown)
            {
                send(message)
            }
            shown = line
            if notifier.watchdogInterval != nil {
                // Logged on the change only: every tick would flood the journal.
                if let problem, !withheld {
                    logger.warning("withholding the systemd watchdog ping while unhealthy: \(problem)")
                } else if problem == nil, withheld {
                    logger.notice("healthy again; pinging the systemd watchdog")
                }
                withheld = problem != nil
            }
        }
    }

    /// Polls `isReady` until it holds or `readyWait` passes; false when cancelled.
    private func waitUntilReady() async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + readyWait
        send("STATUS=starting: waiting for the first apply")
        while !isReady() {
            guard clock.now < deadline else {
                logger.notice("no successful apply within \(readyWait); telling systemd the node is ready anyway")
                return !Task.isCancelled
            }
            guard (try? await Task.sleep(for: .milliseconds(100))) != nil else { return false }
        }
        return true
    }

    /// The STATUS line for now.
    private func statusLine(problem: String? = nil) async -> String {
        Self.statusLine(summary: await summary(), problem: problem)
    }

    /// One tick's datagram: WATCHDOG=1 only while healthy, STATUS= only
    /// when it changed; nil when there is nothing to say.
    static func beat(watchdog: Bool, problem: String?, status: String, shown: String) -> String? {
        var lines: [String] = []
        if watchdog, problem == nil { lines.append("WATCHDOG=1") }
        if status != shown { lines.append(status) }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// `STATUS=<summary>`, led by the problem when there is one; one line,
    /// since a newline would start another assignment.
    static func statusLine(summary: String, problem: String?) -> String {
        let text = problem.map { "unhealthy: \($0); \(summary)" } ?? summary
        return "STATUS=" + String(text.map { $0.isNewline ? " " : $0 })
    }

    /// "wgmesh0: 3 peers, 3 ok" or "wgmesh0: 3 peers: 2 ok, 1 stale".
    static func summary(_ status: LocalStatus) -> String {
        let prefix = "\(status.interfaceName): "
        guard !status.peers.isEmpty else { return prefix + "no peers" }
        let peers = status.peers.count == 1 ? "1 peer" : "\(status.peers.count) peers"
        let counts = Dictionary(grouping: status.peers, by: \.state).mapValues(\.count)
        let states = counts.keys.sorted().map { "\(counts[$0]!) \($0.rawValue)" }.joined(separator: ", ")
        return prefix + peers + (counts.count == 1 ? ", " : ": ") + states
    }

    private func send(_ message: String) {
        do {
            try notifier.send(message)
        } catch {
            logger.warning("\(error.reason)")
        }
    }
}
