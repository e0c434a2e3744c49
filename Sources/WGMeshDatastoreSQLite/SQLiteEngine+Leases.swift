import WGMeshDatastore

extension SQLiteEngine {
    /// Grants a lease expiring `ttlSeconds` from now; its id is random so
    /// processes sharing the file never pick the same one.
    func grantLease(ttlSeconds: Int64) throws(DatastoreError) -> LeaseID {
        guard ttlSeconds > 0, ttlSeconds <= Int64.max / 1000 - WallClock.nowMilliseconds() / 1000 else {
            throw DatastoreError(.invalidRecord, "a lease's TTL must be a positive number of seconds, not \(ttlSeconds)")
        }
        return try writing { () throws(DatastoreError) in
            let insert = try connection.prepare(
                "INSERT OR IGNORE INTO leases(id, ttl, expires_at_ms) VALUES (?1, ?2, ?3)")
            while true {
                // Positive and never 0, which etcd reserves for "no lease".
                let id = Int64.random(in: 1...Int64.max)
                insert.reset()
                insert.bind(1, id)
                insert.bind(2, ttlSeconds)
                insert.bind(3, WallClock.nowMilliseconds() + ttlSeconds * 1000)
                try insert.run()
                if connection.changes == 1 { return LeaseID(rawValue: id) }
            }
        }
    }

    /// Pushes the lease's expiry to a full TTL from now and returns the TTL.
    func keepAlive(_ lease: LeaseID) throws(DatastoreError) -> Int64 {
        try writing { () throws(DatastoreError) in
            guard let ttl = try liveLeaseTTL(lease) else { throw Self.leaseGone(lease) }
            let update = try connection.prepare("UPDATE leases SET expires_at_ms = ?2 WHERE id = ?1")
            update.bind(1, lease.rawValue)
            update.bind(2, WallClock.nowMilliseconds() + ttl * 1000)
            try update.run()
            return ttl
        }
    }

    /// Deletes the lease and its keys (with delete events) in one revision.
    func revokeLease(_ lease: LeaseID) throws(DatastoreError) {
        try writing { () throws(DatastoreError) in
            // An expired lease the sweeper has not reached yet is still
            // revocable: the caller wants its keys gone, and they will be.
            let exists = try connection.prepare("SELECT 1 FROM leases WHERE id = ?1")
            exists.bind(1, lease.rawValue)
            guard try exists.step() else { throw Self.leaseGone(lease) }
            var change = PendingRevision(try meta())
            try removeLeases(where: "id = ?1", bind: { $0.bind(1, lease.rawValue) }, into: &change)
            _ = try finish(change)
        }
    }

    /// Deletes every lease that expired by `now` and their keys, in one
    /// revision. Returns true when the revision moved.
    func sweepExpiredLeases(now: Int64) throws(DatastoreError) -> Bool {
        try writing { () throws(DatastoreError) in
            var change = PendingRevision(try meta())
            try removeLeases(where: "expires_at_ms <= ?1", bind: { $0.bind(1, now) }, into: &change)
            return try finish(change) != change.base.revision
        }
    }

    /// The earliest expiry of any lease, in wall-clock milliseconds.
    func earliestLeaseExpiry() throws(DatastoreError) -> Int64? {
        let statement = try connection.prepare("SELECT MIN(expires_at_ms) FROM leases")
        guard try statement.step(), !statement.isNull(0) else { return nil }
        return statement.int(0)
    }

    /// Whether the lease exists and has not expired (swept or not).
    func leaseIsLive(_ lease: LeaseID) throws(DatastoreError) -> Bool {
        try liveLeaseTTL(lease) != nil
    }

    private func liveLeaseTTL(_ lease: LeaseID) throws(DatastoreError) -> Int64? {
        let statement = try connection.prepare("SELECT ttl FROM leases WHERE id = ?1 AND expires_at_ms > ?2")
        statement.bind(1, lease.rawValue)
        statement.bind(2, WallClock.nowMilliseconds())
        return try statement.step() ? statement.int(0) : nil
    }

    /// Deletes the leases `condition` selects and the keys attached to them.
    private func removeLeases(where condition: String, bind: (SQLiteStatement) -> Void,
                              into change: inout PendingRevision) throws(DatastoreError)
    {
        try deleteKeys(
            where: "lease IN (SELECT id FROM leases WHERE \(condition))", bind: bind, into: &change)
        let remove = try connection.prepare("DELETE FROM leases WHERE \(condition)")
        bind(remove)
        try remove.run()
    }

    private static func leaseGone(_ lease: LeaseID) -> DatastoreError {
        DatastoreError(.leaseNotFound, "\(lease) has expired or was revoked: grant a new lease and attach the keys again")
    }
}
