/// One apply as the reconciler saw it, for metrics and health.
public struct ReconcileOutcome: Sendable {
    /// Why it ran: `load`, `change`, `resync` or `retry`.
    public var reason: String
    /// How long the apply took.
    public var duration: Duration
    /// What it changed; nil when it failed.
    public var summary: ApplySummary?
    /// Why it failed; nil when it succeeded.
    public var error: String?
    /// The plan it applied (or tried to).
    public var plan: MeshPlan
    /// For a change: from the arrival of the oldest watch event it carries
    /// to the end of the apply (the datastore watch lag as this node feels it).
    public var watchLag: Duration?

    /// Creates an outcome.
    public init(reason: String, duration: Duration, summary: ApplySummary?, error: String?, plan: MeshPlan,
                watchLag: Duration? = nil)
    {
        self.reason = reason
        self.duration = duration
        self.summary = summary
        self.error = error
        self.plan = plan
        self.watchLag = watchLag
    }

    /// Whether the apply succeeded.
    public var succeeded: Bool { error == nil }
}
