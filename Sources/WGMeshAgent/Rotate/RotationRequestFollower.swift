import Logging
import WGMeshDatastore

/// Follows this node's rotation request key: when an administrator writes
/// it (`wgmesh rotate-key --node N`), rotates, then deletes the request.
struct RotationRequestFollower: Sendable {
    let rotator: KeyRotator
    let store: ResourceStore
    let nodeName: String
    let logger: Logger
    /// Whether the node applied its first plan: a rotation needs the
    /// datastore loaded, so a request found at start waits for it.
    var isReady: @Sendable () -> Bool = { true }
    /// How long to wait after the datastore failed before reading again.
    var retryDelay: Duration = .seconds(5)

    /// Reads the key (a request written while the node was down counts),
    /// then watches it, until cancelled.
    func run() async {
        let key = RotationRequest.key(node: nodeName, in: store)
        // A request written while the node was down would otherwise be refused (and deleted) at start.
        while !isReady() {
            guard (try? await Task.sleep(for: .milliseconds(200))) != nil else { return }
        }
        while !Task.isCancelled {
            do {
                let current = try await store.datastore.list(prefix: key)
                for item in current.items where item.key == key { await handle(item) }
                for try await batch in store.datastore.watch(prefix: key, from: current.revision + 1) {
                    for event in batch.events where event.kind == .put && event.keyValue.key == key {
                        await handle(event.keyValue)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("following rotation requests failed: \(error); reading again")
            }
            guard (try? await Task.sleep(for: retryDelay)) != nil else { return }
        }
    }

    /// Rotates for one request and deletes it, whether the rotation worked
    /// or not: a failed rotation is logged, and a request left behind would
    /// rotate again at every restart.
    private func handle(_ record: KeyValue) async {
        let request = RotationRequest(decoding: record.value)
        do {
            _ = try await rotator.rotate(reason: "requested through the datastore by \(request.by)")
        } catch {
            logger.error("rotation requested by \(request.by) failed: \(error.reason)")
        }
        do {
            try await store.datastore.delete(record.key, expected: record.modRevision)
        } catch {
            logger.warning("could not delete the rotation request \(record.key): \(error); it may run again")
        }
    }
}
