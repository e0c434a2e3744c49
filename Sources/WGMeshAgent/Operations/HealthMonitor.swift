import Synchronization

/// Reconcile progress, for `/readyz`, `/healthz`, the `health` command and
/// the systemd watchdog.
///
/// Ready means the first apply succeeded, and stays true: start-up is over.
/// Healthy means the loop still turns and still succeeds: applies keep
/// coming (every change, retry and resync produces one), and failures have
/// not lasted longer than ``failureLimit``. One failed apply is not a
/// problem: the reconciler retries, and a watchdog restart would only add
/// a second disruption.
final class HealthMonitor: Sendable {
    /// How the monitor reads the time; tests pass a fake one.
    typealias Clock = @Sendable () -> ContinuousClock.Instant

    private struct State {
        var started: ContinuousClock.Instant
        var ready = false
        var lastOutcome: ContinuousClock.Instant?
        /// When the reconcile loop last turned (watch events, ticks, outage retries).
        var lastBeat: ContinuousClock.Instant?
        /// When the current run of failures began; nil after a success.
        var failingSince: ContinuousClock.Instant?
        var failures = 0
        var lastError: String?
        var stallLimit: Duration
    }

    /// How long applies may keep failing before the node is unhealthy.
    let failureLimit: Duration
    private let clock: Clock
    private let state: Mutex<State>

    /// Creates a monitor. Without applies for `stallLimit` the loop counts
    /// as stuck; failures for longer than `failureLimit` count as broken.
    init(stallLimit: Duration = .seconds(300), failureLimit: Duration = .seconds(120),
         clock: @escaping Clock = { .now })
    {
        self.failureLimit = failureLimit
        self.clock = clock
        state = Mutex(State(started: clock(), stallLimit: stallLimit))
    }

    /// Sets the stall limit from the resync interval: three missed resyncs
    /// (never less than two minutes, so a short interval does not make a
    /// slow apply look like a stall).
    func expectApplies(every resyncInterval: Duration) {
        let limit = max(resyncInterval * 3, .seconds(120))
        state.withLock { $0.stallLimit = limit }
    }

    /// Whether the first apply succeeded (start-up is over).
    var isReady: Bool { state.withLock { $0.ready } }

    /// Why the node is unhealthy now; nil when healthy.
    var problem: String? {
        let now = clock()
        return state.withLock { state in
            if let since = state.failingSince, now - since > failureLimit {
                return "applying the plan has failed \(state.failures) times in a row for "
                    + "\(Self.seconds(now - since)) s: \(state.lastError ?? "unknown error"); "
                    + "fix the cause named in the daemon's log, the reconciler retries on its own"
            }
            // A loop that waits out a datastore outage still beats: the
            // dataplane is kept as it is, and a restart would not help.
            let last = [state.lastOutcome, state.lastBeat].compactMap { $0 }.max() ?? state.started
            if now - last > state.stallLimit {
                let what = state.lastOutcome == nil ? "no apply since start" : "no apply"
                return "\(what) and no turn of the reconcile loop for \(Self.seconds(now - last)) s (limit "
                    + "\(Self.seconds(state.stallLimit)) s): the loop is stuck, probably on the datastore or the "
                    + "interface; check the daemon's log and restart it"
            }
            return nil
        }
    }

    /// Why the node is not ready yet; nil once ready.
    var startupProblem: String? {
        let now = clock()
        return state.withLock { state in
            if state.ready { return nil }
            if let error = state.lastError {
                return "starting: the first apply failed (\(state.failures) tries): \(error)"
            }
            return "starting: no apply yet after \(Self.seconds(now - state.started)) s"
        }
    }

    /// Takes note that the reconcile loop turned.
    func heartbeat() {
        let now = clock()
        state.withLock { $0.lastBeat = now }
    }

    /// Takes note of one apply.
    func record(_ outcome: ReconcileOutcome) {
        let now = clock()
        state.withLock { state in
            state.lastOutcome = now
            if let error = outcome.error {
                if state.failingSince == nil { state.failingSince = now }
                state.failures += 1
                state.lastError = error
            } else {
                state.ready = true
                state.failingSince = nil
                state.failures = 0
                state.lastError = nil
            }
        }
    }

    /// Whole seconds, for messages.
    private static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds }
}
