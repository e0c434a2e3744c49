import WGMeshResources

extension ResourceStore {
    /// Decodes one record read from the store, or says why it is rejected.
    ///
    /// Lenient decoding (unknown fields are ignored, so a newer writer does
    /// not break an older reader), then the record's own validation, then
    /// the key/content match that stops one node writing another's records.
    func decodeRecord<R: Resource>(_ type: R.Type, _ kv: KeyValue) -> Result<Stored<R>, RejectedRecord> {
        func reject(_ reason: String) -> Result<Stored<R>, RejectedRecord> {
            .failure(RejectedRecord(key: kv.key, modRevision: kv.modRevision, reason: reason))
        }
        let recordKey: RecordKey
        switch RecordKey.parse(kv.key, prefix: prefix(for: R.self), kind: R.kind) {
        case .success(let parsed): recordKey = parsed
        case .failure(let problem): return reject(problem.reason)
        }
        var resource: R
        do {
            resource = try ResourceCodec.decode(R.self, json: kv.value, strict: false)
        } catch {
            return reject("not a valid \(R.kind.name) record: \(error)")
        }
        if let mismatch = keyMismatch(resource, recordKey) { return reject(mismatch) }
        do {
            try resource.validate()
        } catch {
            return reject("\(R.kind.name) \(resource.metadata.name) is invalid: \(error)")
        }
        if let problem = storeRule(resource) { return reject(problem) }
        resource.metadata.resourceVersion = String(kv.modRevision)
        return .success(Stored(resource: resource, createRevision: kv.createRevision, modRevision: kv.modRevision))
    }

    /// Why `resource`'s content does not belong under `key`, or nil.
    func keyMismatch(_ resource: some Resource, _ key: RecordKey) -> String? {
        let kind = type(of: resource).kind
        if resource.metadata.name != key.name {
            return "metadata.name '\(clip(resource.metadata.name))' does not match the name in the key ('\(key.name)')"
        }
        if kind.nodeScoped, resource.owningNode != key.node {
            return "spec.node '\(clip(resource.owningNode ?? ""))' does not match the node in the key "
                + "('\(key.node ?? "")'): a node may only write its own records"
        }
        if kind.namespaced, resource.metadata.namespace != key.namespace {
            return "metadata.namespace '\(clip(resource.metadata.namespace ?? ""))' does not match the namespace "
                + "in the key ('\(key.namespace ?? "")')"
        }
        return nil
    }

    /// Rules the store adds to a record's own validation, on write and on read.
    func storeRule(_ resource: some Resource) -> String? {
        // The key is built from these, so a '/' would move the record under
        // another key (another node's prefix, even).
        let kind = type(of: resource).kind
        var segments = [("metadata.name", resource.metadata.name)]
        if kind.nodeScoped { segments.append(("spec.node", resource.owningNode ?? "")) }
        if kind.namespaced { segments.append(("metadata.namespace", resource.metadata.namespace ?? "")) }
        for (field, value) in segments where value.isEmpty || value.contains("/") {
            return "\(field) '\(clip(value))' cannot be part of a key: use a non-empty name without '/'"
        }
        if let config = resource as? EncryptionConfig, config.metadata.name != EncryptionConfig.requiredName {
            return "EncryptionConfig '\(clip(config.metadata.name))' must be named '\(EncryptionConfig.requiredName)': "
                + "there is one per cluster; rename it"
        }
        return nil
    }
}

/// `text` cut to a length that fits in a log line: hostile records may hold
/// megabytes in a name.
func clip(_ text: String, to limit: Int = 80) -> String {
    guard text.utf8.count > limit else { return text }
    return String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "... (\(text.utf8.count) bytes)"
}
