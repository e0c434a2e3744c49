/// A kind's names, as users type them and as the store keys them.
public struct ResourceKind: Hashable, Sendable, CustomStringConvertible {
    /// The `kind:` value, e.g. `IPPool`.
    public let name: String
    /// The lower-case plural, e.g. `ippools`; also the key segment in the store.
    public let plural: String
    /// Other accepted spellings, lower-case (short names such as `wep`).
    public let aliases: [String]
    /// True when records live under their owning node's key prefix.
    public let nodeScoped: Bool
    /// True for kinds with a namespace in their metadata.
    public let namespaced: Bool

    /// Declares a kind.
    public init(name: String, plural: String, aliases: [String] = [], nodeScoped: Bool = false, namespaced: Bool = false) {
        self.name = name
        self.plural = plural
        self.aliases = aliases
        self.nodeScoped = nodeScoped
        self.namespaced = namespaced
    }

    public var description: String { name }
}
