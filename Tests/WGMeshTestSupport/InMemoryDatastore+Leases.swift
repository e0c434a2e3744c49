public import WGMeshDatastore

extension InMemoryDatastore {
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        try state.withLock { state in
            try state.checkOpen()
            guard ttlSeconds > 0 else {
                throw DatastoreError(
                    .invalidRecord, "a lease needs a TTL of at least 1 second, got \(ttlSeconds): pass a positive TTL")
            }
            let id = state.nextLeaseID
            state.nextLeaseID += 1
            state.leases[id] = InMemoryState.Lease(ttl: ttlSeconds, expiresAt: state.clock + Double(ttlSeconds))
            return LeaseID(rawValue: id)
        }
    }

    public func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        try state.withLock { state in
            try state.checkOpen()
            guard let ttl = state.leases[lease.rawValue]?.ttl else { throw InMemoryState.leaseNotFound(lease) }
            state.leases[lease.rawValue]?.expiresAt = state.clock + Double(ttl)
            return ttl
        }
    }

    public func revokeLease(_ lease: LeaseID) async throws {
        try state.withLock { state in
            try state.checkOpen()
            guard state.leases[lease.rawValue] != nil else { throw InMemoryState.leaseNotFound(lease) }
            state.end(lease.rawValue)
        }
    }

    /// Moves the store's clock on, expiring every lease whose TTL ran out
    /// since its last keep-alive; each expiry deletes the lease's keys in
    /// one revision (with delete events), oldest lease first.
    public func advanceClock(seconds: Double) {
        state.withLock { state in
            state.clock += seconds
            let expired = state.leases.filter { $0.value.expiresAt <= state.clock }.keys.sorted()
            for id in expired { state.end(id) }
        }
    }

    /// The lease's remaining seconds on the manual clock; nil when it is gone.
    public func remainingSeconds(of lease: LeaseID) -> Double? {
        state.withLock { state in state.leases[lease.rawValue].map { $0.expiresAt - state.clock } }
    }
}

extension InMemoryState {
    static func leaseNotFound(_ lease: LeaseID) -> DatastoreError {
        DatastoreError(.leaseNotFound, "\(lease) expired or was revoked: grant a new lease and write its keys again")
    }

    /// Drops a lease and deletes its keys in one revision, as etcd does.
    mutating func end(_ id: Int64) {
        guard let lease = leases.removeValue(forKey: id) else { return }
        commit(lease.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { .delete($0) })
    }
}
