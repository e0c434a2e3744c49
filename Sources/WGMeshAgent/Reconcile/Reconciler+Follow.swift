import WGMeshDatastore
import WGMeshResources

/// Why following the watches stopped.
enum FollowEnd: Sendable {
    /// A watch's start revision was compacted away: reload at once.
    case compacted(kind: String)
    /// A watch failed or ended (or the task was cancelled): the datastore is unreachable.
    case failed(kind: String, error: any Error)
}

extension Reconciler {
    /// Follows the four watches from `revision` and applies each change,
    /// with the drift checks and retries in between, until a watch ends.
    func follow(from revision: Revision, resyncInterval: Duration) async -> FollowEnd {
        let mailbox = ReconcilerMailbox()
        let store = store
        let tick = Self.tickInterval(resyncInterval: resyncInterval, backoff: backoff)
        return await withTaskGroup(of: Void.self, returning: FollowEnd.self) { group in
            group.addTask {
                await Self.forward(store.watch(Node.self, from: revision), "Node", mailbox) { .nodes($0) }
            }
            group.addTask {
                await Self.forward(store.watch(BlockAffinity.self, from: revision), "BlockAffinity", mailbox) {
                    .claims($0)
                }
            }
            group.addTask {
                await Self.forward(store.watch(IPPool.self, from: revision), "IPPool", mailbox) { .pools($0) }
            }
            group.addTask {
                await Self.forward(store.watch(EncryptionConfig.self, from: revision), "EncryptionConfig", mailbox) {
                    .encryption($0)
                }
            }
            group.addTask {
                while (try? await Task.sleep(for: tick)) != nil { mailbox.post(.tick) }
            }
            let end = await consume(mailbox)
            group.cancelAll()
            mailbox.finish()
            return end
        }
    }

    /// Handles everything the mailbox collects until a watch ends.
    private func consume(_ mailbox: ReconcilerMailbox) async -> FollowEnd {
        for await _ in mailbox.wakeUps {
            heartbeat?()
            var changed = false
            let (inputs, oldest) = mailbox.takeAll()
            for input in inputs {
                switch input {
                case .nodes(let batch):
                    guard !batch.events.isEmpty else { continue }
                    if state.fold(batch).contains(local.name) { checkOwnNode() }
                    changed = true
                case .claims(let batch):
                    guard !batch.events.isEmpty else { continue }
                    state.fold(batch)
                    changed = true
                case .pools(let batch):
                    guard !batch.events.isEmpty else { continue }
                    let before = state.poolSpecs
                    state.fold(batch)
                    if before != state.poolSpecs { poolsChanged() }
                    changed = true
                case .encryption(let batch):
                    guard !batch.events.isEmpty else { continue }
                    state.fold(batch)
                    changed = true
                case .watchEnded(let kind, let error):
                    if let error = error as? DatastoreError, error.code == .compacted {
                        return .compacted(kind: kind)
                    }
                    return .failed(kind: kind, error: error ?? DatastoreError(.closed, "the watch ended"))
                case .tick:
                    break
                }
            }
            if changed {
                replan()
                // While a retry waits, the retry applies the newest plan (reading the kernel back).
                if !applyRetry.isPending, desiredPlan != lastPlan {
                    reconcile(verify: false, reason: .change, since: oldest)
                }
            }
            let now = ContinuousClock.now
            if applyRetry.isDue(at: now) {
                reconcile(verify: true, reason: .retry)
            } else if now >= nextResync {
                reconcile(verify: true, reason: .resync)
            }
            await republishIfNeeded()
        }
        return .failed(kind: "all", error: CancellationError())
    }

    /// How often the loop wakes to check deadlines: often enough for the
    /// first retry and the resync, at most once a second.
    static func tickInterval(resyncInterval: Duration, backoff: RetryBackoff) -> Duration {
        max(.milliseconds(1), min(resyncInterval, backoff.initial, .seconds(1)))
    }

    /// Posts every batch of `stream` to `mailbox`, then how the stream ended.
    private static func forward<R: Resource>(
        _ stream: AsyncThrowingStream<ResourceWatchBatch<R>, any Error>, _ kind: String,
        _ mailbox: ReconcilerMailbox, _ wrap: @Sendable (ResourceWatchBatch<R>) -> ReconcilerInput
    ) async {
        do {
            for try await batch in stream { mailbox.post(wrap(batch)) }
            if !Task.isCancelled { mailbox.post(.watchEnded(kind: kind, error: nil)) }
        } catch {
            if !Task.isCancelled { mailbox.post(.watchEnded(kind: kind, error: error)) }
        }
    }
}
