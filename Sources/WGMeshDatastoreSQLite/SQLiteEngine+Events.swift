import WGMeshDatastore

extension SQLiteEngine {
    /// Forgets events before `revision`. Compacting history that is already
    /// gone does nothing; a revision the store has not reached is refused,
    /// as etcd refuses it.
    func compact(before revision: Revision) throws(DatastoreError) {
        try writing { () throws(DatastoreError) in
            let current = try meta()
            guard revision <= current.revision else {
                throw DatastoreError(
                    .invalidRecord, revision: revision,
                    "cannot compact before revision \(revision): the store is only at revision \(current.revision); "
                        + "pass a revision that has been reached")
            }
            guard revision > current.compactRevision else { return }
            try compactEvents(before: revision)
        }
    }

    /// The events under `range` with revisions in `revisions`, in revision
    /// order and, within one revision, in the order the transaction made them.
    func events(in range: KeyRange, revisions: ClosedRange<Revision>) throws(DatastoreError) -> [WatchEvent] {
        let statement = try connection.prepare(
            "SELECT key, value, create_revision, revision, version, lease, kind FROM events "
                + "WHERE revision >= ?1 AND revision <= ?2 AND " + range.sql(column: "key", firstParameter: 3)
                + " ORDER BY revision, sub")
        statement.bind(1, revisions.lowerBound)
        statement.bind(2, revisions.upperBound)
        range.bind(statement, firstParameter: 3)
        var events: [WatchEvent] = []
        while try statement.step() {
            let kind: WatchEvent.Kind = statement.int(6) == 0 ? .put : .delete
            events.append(WatchEvent(kind: kind, keyValue: Self.keyValue(statement)))
        }
        return events
    }
}
