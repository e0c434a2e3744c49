extension ResourceKind {
    /// Every kind, in the order `wgmesh get` lists them. Adding a kind is one
    /// line here plus its type.
    public static let all: [any Resource.Type] = [
        Node.self, IPPool.self, EncryptionConfig.self, BlockAffinity.self, WorkloadEndpoint.self,
    ]

    /// The kind a user typed: its name, plural or an alias, in any case
    /// (`IPPool`, `ippool`, `ippools`, `pools`), as kubectl accepts them.
    public static func lookup(_ text: String) -> (any Resource.Type)? {
        let wanted = text.lowercased()
        return all.first { type in
            let kind = type.kind
            return kind.name.lowercased() == wanted || kind.plural == wanted || kind.aliases.contains(wanted)
        }
    }

    /// The kind named exactly by a document's `kind:` field (case-sensitive, like kubectl).
    public static func named(_ kindField: String) -> (any Resource.Type)? {
        all.first { $0.kind.name == kindField }
    }

    /// The kinds' names for error messages: `Node, IPPool, ...`.
    public static var knownNames: String { all.map { $0.kind.name }.joined(separator: ", ") }
}
