import Synchronization

/// The plan applied last, readable without waiting for the reconciler.
///
/// The reconciler runs its applies inline on its own thread; while one blocks (a stopped
/// wireguard-go), a status request or a metrics scrape that awaited the actor would block too.
/// The reconciler's `onApply` writes here, and they read from here.
final class AppliedPlan: Sendable {
    private let plan = Mutex<MeshPlan?>(nil)

    /// The plan applied last; nil before the first apply.
    var current: MeshPlan? { plan.withLock { $0 } }

    /// Records a plan just applied.
    func record(_ applied: MeshPlan) { plan.withLock { $0 = applied } }
}
