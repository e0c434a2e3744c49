import Testing
import WGMeshDatastore

/// The bytes of a test value.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A stored value as text.
func text(_ value: [UInt8]?) -> String? { value.map { String(decoding: $0, as: UTF8.self) } }

/// Runs `body`, expecting it to throw a `DatastoreError` with `code`; returns
/// the error so the case can check its key or revision.
@discardableResult
func expectDatastoreError<R>(
    _ code: DatastoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> R
) async -> DatastoreError? {
    do {
        let result = try await body()
        Issue.record("expected \(code), got \(result)", sourceLocation: sourceLocation)
        return nil
    } catch let error as DatastoreError {
        #expect(error.code == code, "\(error.reason)", sourceLocation: sourceLocation)
        #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a DatastoreError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}


/// The store's current revision (an empty list still reports it).
func currentRevision(_ store: ConformanceStore) async throws -> Revision {
    try await store.datastore.list(prefix: store.key("~revision-probe/")).revision
}
