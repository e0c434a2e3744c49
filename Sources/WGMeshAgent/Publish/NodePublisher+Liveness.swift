internal import Glibc
import WGMeshDatastore
import WGMeshResources
import Logging

extension NodePublisher {
    /// Writes the liveness key under a lease of `ttlSeconds` and keeps the
    /// lease alive until the task is cancelled (then revokes it). Survives a
    /// datastore outage: it retries, and re-grants when the lease expired.
    public func keepAlive(node: String, ttlSeconds: Int64) async {
        let ttl = max(ttlSeconds, 1)
        // Three renewals per TTL: one lost renewal never lets the lease lapse.
        let interval = Duration.seconds(ttl) / 3
        let key = store.livenessKey(node: node)
        let datastore = store.datastore
        var lease: LeaseID?
        var written = false
        var outage = false
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                if let current = lease, written {
                    _ = try await datastore.keepAlive(current)
                } else {
                    let current: LeaseID
                    if let lease { current = lease } else { current = try await datastore.grantLease(ttlSeconds: ttl) }
                    // Remembered before the put, so a cancel or failure after the grant still revokes it.
                    lease = current
                    try await datastore.put(key, value: Self.livenessValue(node: node), lease: current)
                    written = true
                    logger.debug("wrote the liveness key", metadata: ["node.name": "\(node)", "lease": "\(current)"])
                }
                if outage {
                    logger.notice("the liveness lease works again", metadata: ["node.name": "\(node)"])
                    outage = false
                }
                backoff = .milliseconds(100)
                guard (try? await Task.sleep(for: interval)) != nil else { break }
            } catch let error as DatastoreError where error.code == .leaseNotFound {
                // It expired while we could not renew it; its key went with it.
                logger.warning("the liveness lease expired; granting a new one",
                               metadata: ["node.name": "\(node)", "ttl": "\(ttl)"])
                lease = nil
                written = false
            } catch {
                if Task.isCancelled { break }
                if !outage {
                    logger.warning("cannot renew the liveness lease; retrying until the datastore answers",
                                   metadata: ["node.name": "\(node)", "error": "\(error)"])
                    outage = true
                }
                guard (try? await Task.sleep(for: backoff)) != nil else { break }
                backoff = min(backoff * 2, interval)
            }
        }
        if let lease { await Self.revoke(lease, on: datastore, node: node, logger: logger) }
    }

    /// The liveness key's value: who, and since when (seconds since the epoch).
    static func livenessValue(node: String) -> [UInt8] {
        JSONWriter.write(["node": .string(node), "since": .integer(Int64(time(nil)))])
    }

    /// Revokes the lease so the node shows as gone at once rather than after
    /// its TTL. Best effort: on failure the lease simply expires.
    private static func revoke(_ lease: LeaseID, on datastore: any Datastore, node: String,
                               logger: Logger) async
    {
        // The calling task is cancelled by now, and a cancelled task's request
        // may be cancelled by the backend too; a detached task is not, and
        // it is awaited here, so it does not outlive keepAlive.
        let revoked = await Task.detached { () -> (any Error)? in
            do {
                try await datastore.revokeLease(lease)
                return nil
            } catch {
                return error
            }
        }.value
        if let revoked {
            logger.info("could not revoke the liveness lease; it expires on its own",
                        metadata: ["node.name": "\(node)", "error": "\(revoked)"])
        } else {
            logger.debug("revoked the liveness lease", metadata: ["node.name": "\(node)"])
        }
    }
}
