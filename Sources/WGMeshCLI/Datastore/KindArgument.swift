internal import WGMeshResources

/// The KIND argument of `get` and `delete`.
enum KindArgument {
    /// The kind the user typed, in any spelling `ResourceKind.lookup` takes.
    static func resolve(_ text: String) throws -> any Resource.Type {
        guard let type = ResourceKind.lookup(text) else {
            let spellings = ResourceKind.all.map { "\($0.kind.name.lowercased()) (\($0.kind.plural))" }
            throw CommandFailure(
                "unknown kind '\(text)'; known kinds: \(spellings.joined(separator: ", "))")
        }
        return type
    }

    /// `--namespace` means something only for namespaced kinds.
    static func checkNamespace(_ namespace: String?, for type: any Resource.Type) throws {
        guard namespace != nil, !type.kind.namespaced else { return }
        throw CommandFailure("\(type.kind.plural) have no namespace: drop --namespace")
    }

    /// `node "x" not found`, with the namespace when one was given.
    static func notFound(_ type: any Resource.Type, name: String, namespace: String?) -> String {
        let place = namespace.map { " in namespace \"\($0)\"" } ?? ""
        return "\(type.kind.name.lowercased()) \"\(name)\" not found\(place)"
    }
}
