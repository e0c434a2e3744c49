import WGMeshResources

/// The parts of a record's key: what its content must match.
struct RecordKey: Hashable, Sendable {
    /// The owning node, for node-scoped kinds.
    var node: String?
    /// The namespace, for namespaced kinds.
    var namespace: String?
    /// The record's name.
    var name: String

    /// Splits `key` (which starts with `prefix`, the kind's prefix) into the
    /// segments the kind's layout has, or says why it cannot.
    ///
    /// Nodes may write only under their own prefixes, so a key is all the
    /// evidence of who wrote a record: it must have exactly the kind's
    /// segments, none of them empty.
    static func parse(_ key: String, prefix: String, kind: ResourceKind) -> Result<RecordKey, KeyProblem> {
        guard key.hasPrefix(prefix) else { return .failure(KeyProblem("the key is not under \(prefix)")) }
        let rest = key.dropFirst(prefix.count)
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false)
        let expected = 1 + (kind.nodeScoped ? 1 : 0) + (kind.namespaced ? 1 : 0)
        guard segments.count == expected, !segments.contains(where: \.isEmpty) else {
            return .failure(KeyProblem("the key does not have the layout of a \(kind.name) key (\(layout(kind)))"))
        }
        var index = 0
        var parsed = RecordKey(node: nil, namespace: nil, name: "")
        if kind.nodeScoped {
            parsed.node = String(segments[index])
            index += 1
        }
        if kind.namespaced {
            parsed.namespace = String(segments[index])
            index += 1
        }
        parsed.name = String(segments[index])
        return .success(parsed)
    }

    static func layout(_ kind: ResourceKind) -> String {
        var text = kind.plural + "/"
        if kind.nodeScoped { text += "<node>/" }
        if kind.namespaced { text += "<namespace>/" }
        return text + "<name>"
    }
}

/// Why a key does not fit its kind's layout.
struct KeyProblem: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
