internal import EtcdAPI
internal import GRPCCore
internal import SwiftProtobuf
public import WGMeshDatastore

extension EtcdDatastore {
    /// How many keys one list page holds: big lists arrive in several
    /// replies, all read at the first page's revision, so none exceeds
    /// gRPC's message limit.
    static let listPageSize: Int64 = 1000

    /// The key's current value (a linearizable read).
    public func get(_ key: String) async throws -> KeyValue? {
        var request = Etcdserverpb_RangeRequest()
        request.key = .init(key.utf8)
        let response = try await call("get", key: key, retry: .always) { [request] client, metadata, options in
            try await client.kv.range(request, metadata: metadata, options: options)
        }
        return response.kvs.first.map(Self.keyValue)
    }

    /// Every key under `prefix`, read page by page at one revision.
    public func list(prefix: String) async throws -> ListResult {
        let prefixBytes = Array(prefix.utf8)
        var request = Etcdserverpb_RangeRequest()
        request.key = .init(EtcdKeys.rangeStart(ofPrefix: prefixBytes))
        request.rangeEnd = .init(EtcdKeys.rangeEnd(ofPrefix: prefixBytes))
        request.limit = Self.listPageSize
        var items: [KeyValue] = []
        var revision: Revision = 0
        while true {
            let page = request
            let response = try await call("list", key: prefix, retry: .always) { client, metadata, options in
                try await client.kv.range(page, metadata: metadata, options: options)
            }
            if revision == 0 {
                revision = response.header.revision
                // Later pages read the same snapshot as the first.
                request.revision = revision
            }
            items.reserveCapacity(items.count + response.kvs.count)
            items += response.kvs.map(Self.keyValue)
            guard response.more, let last = response.kvs.last else { break }
            request.key = .init(EtcdKeys.after(Array(last.key)))
        }
        return ListResult(items: items, revision: revision)
    }

    /// One etcd Txn: the conditions as compares, the operations on success.
    public func transaction(_ conditions: [Condition], _ operations: [Operation]) async throws -> TransactionResult {
        var request = Etcdserverpb_TxnRequest()
        request.compare = conditions.map(Self.compare)
        request.success = operations.map(Self.requestOp)
        // Without conditions a repeat lands on the same state; with them, a
        // repeat of an applied write would fail its own compare.
        let retry: Retry = conditions.isEmpty ? .always : .unlessAmbiguous
        let key = operations.first.map(Self.key) ?? conditions.first.map(Self.key)
        let response = try await call("transaction", key: key, retry: retry) { [request] client, metadata, options in
            try await client.kv.txn(request, metadata: metadata, options: options)
        }
        return TransactionResult(succeeded: response.succeeded, revision: response.header.revision)
    }

    /// Forgets history before `revision`. Asking again for an already
    /// compacted revision is not an error.
    public func compact(before revision: Revision) async throws {
        var request = Etcdserverpb_CompactionRequest()
        request.revision = revision
        do {
            _ = try await call("compact", retry: .always) { [request] client, metadata, options in
                try await client.kv.compact(request, metadata: metadata, options: options)
            }
        } catch let error as DatastoreError where error.code == .compacted {
            return
        } catch let error as DatastoreError where error.code == .invalidRecord {
            throw DatastoreError(
                .invalidRecord, revision: revision,
                "cannot compact before revision \(revision): it is in the future; pass a revision already written")
        }
    }

    static func keyValue(_ kv: Mvccpb_KeyValue) -> KeyValue {
        KeyValue(key: String(decoding: kv.key, as: UTF8.self), value: Array(kv.value),
                 createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version,
                 lease: kv.lease == 0 ? nil : LeaseID(rawValue: kv.lease))
    }

    static func compare(_ condition: Condition) -> Etcdserverpb_Compare {
        var compare = Etcdserverpb_Compare()
        switch condition {
        case .modRevision(let key, let revision):
            // etcd reads an absent key's mod revision as 0, which is what 0 means here.
            compare.key = .init(key.utf8)
            compare.target = .mod
            compare.result = .equal
            compare.modRevision = revision
        case .exists(let key):
            compare.key = .init(key.utf8)
            compare.target = .create
            compare.result = .greater
            compare.createRevision = 0
        case .prefixUnchanged(let prefix, let revision):
            // A range compare (etcd >= 3.3) holds when every key in the range
            // passes; an empty range passes too. Deleted keys are gone from
            // the range, so deletions do not count, as the protocol says.
            let bytes = Array(prefix.utf8)
            compare.key = .init(EtcdKeys.rangeStart(ofPrefix: bytes))
            compare.rangeEnd = .init(EtcdKeys.rangeEnd(ofPrefix: bytes))
            compare.target = .mod
            compare.result = .less
            compare.modRevision = revision + 1
        }
        return compare
    }

    static func requestOp(_ operation: Operation) -> Etcdserverpb_RequestOp {
        var op = Etcdserverpb_RequestOp()
        switch operation {
        case .put(let key, let value, let lease):
            var put = Etcdserverpb_PutRequest()
            put.key = .init(key.utf8)
            put.value = .init(value)
            put.lease = lease?.rawValue ?? 0
            op.requestPut = put
        case .delete(let key):
            var delete = Etcdserverpb_DeleteRangeRequest()
            delete.key = .init(key.utf8)
            op.requestDeleteRange = delete
        case .deletePrefix(let prefix):
            let bytes = Array(prefix.utf8)
            var delete = Etcdserverpb_DeleteRangeRequest()
            delete.key = .init(EtcdKeys.rangeStart(ofPrefix: bytes))
            delete.rangeEnd = .init(EtcdKeys.rangeEnd(ofPrefix: bytes))
            op.requestDeleteRange = delete
        }
        return op
    }

    static func key(_ operation: Operation) -> String {
        switch operation {
        case .put(let key, _, _), .delete(let key), .deletePrefix(let key): key
        }
    }

    static func key(_ condition: Condition) -> String {
        switch condition {
        case .modRevision(let key, _), .exists(let key), .prefixUnchanged(let key, _): key
        }
    }
}
