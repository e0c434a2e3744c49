/// A readers-writer lock for tests that share one store.
///
/// Compaction is store-wide: on the shared etcd member it would cut the
/// history out from under a watch another test is about to start. So every
/// test holds the gate shared, and the compaction test holds it alone.
/// Waiters are served in arrival order, so the compaction test cannot starve.
actor ConformanceGate {
    /// The one gate for the whole test run.
    static let shared = ConformanceGate()

    private var readers = 0
    private var writing = false
    private var queue: [(exclusive: Bool, resume: CheckedContinuation<Void, Never>)] = []

    /// Waits until the gate is ours: alone when `exclusive`, else with other sharers.
    func acquire(exclusive: Bool) async {
        if queue.isEmpty && canEnter(exclusive: exclusive) {
            enter(exclusive: exclusive)
            return
        }
        await withCheckedContinuation { queue.append((exclusive, $0)) }
    }

    /// Gives the gate back and lets in whoever is next in line.
    func release(exclusive: Bool) {
        if exclusive { writing = false } else { readers -= 1 }
        while let next = queue.first, canEnter(exclusive: next.exclusive) {
            queue.removeFirst()
            enter(exclusive: next.exclusive)
            next.resume.resume()
        }
    }

    private func canEnter(exclusive: Bool) -> Bool {
        exclusive ? (readers == 0 && !writing) : !writing
    }

    private func enter(exclusive: Bool) {
        if exclusive { writing = true } else { readers += 1 }
    }
}
