import Synchronization
import WGMeshDatastore
import WGMeshResources

/// What wakes the reconciler's loop.
enum ReconcilerInput: Sendable {
    case nodes(ResourceWatchBatch<Node>)
    case claims(ResourceWatchBatch<BlockAffinity>)
    case pools(ResourceWatchBatch<IPPool>)
    case encryption(ResourceWatchBatch<EncryptionConfig>)
    /// A watch stopped: with its error, or nil when it just finished.
    case watchEnded(kind: String, error: (any Error)?)
    /// Time passed: check the resync and retry deadlines.
    case tick
}

/// Where the watch and timer tasks leave inputs for the loop.
///
/// The loop takes everything queued at once, so a burst of writes that
/// arrives while it applies becomes one replan and one apply. The signal
/// stream holds at most one pending wake-up for the same reason.
final class ReconcilerMailbox: Sendable {
    private let queue = Mutex<[ReconcilerInput]>([])
    /// One element per wake-up; the loop iterates it.
    let wakeUps: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `input` and wakes the loop.
    func post(_ input: ReconcilerInput) {
        queue.withLock { $0.append(input) }
        continuation.yield()
    }

    /// Everything queued so far, oldest first.
    func takeAll() -> [ReconcilerInput] {
        queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    /// Ends the wake-ups, so the loop's iteration finishes.
    func finish() { continuation.finish() }
}
