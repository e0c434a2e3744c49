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
    private let queue = Mutex<(inputs: [ReconcilerInput], oldest: ContinuousClock.Instant?)>(([], nil))
    /// One element per wake-up; the loop iterates it.
    let wakeUps: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `input` and wakes the loop.
    func post(_ input: ReconcilerInput) {
        queue.withLock { queue in
            queue.inputs.append(input)
            if case .tick = input { return }
            if queue.oldest == nil { queue.oldest = .now }
        }
        continuation.yield()
    }

    /// Everything queued so far, oldest first, and when the oldest input
    /// that is not a tick arrived.
    func takeAll() -> (inputs: [ReconcilerInput], oldest: ContinuousClock.Instant?) {
        queue.withLock { queue in
            defer {
                queue.inputs.removeAll(keepingCapacity: true)
                queue.oldest = nil
            }
            return queue
        }
    }

    /// Ends the wake-ups, so the loop's iteration finishes.
    func finish() { continuation.finish() }
}
