/// A resource of any kind, as read from a multi-kind source (a YAML file, a
/// list across kinds).
public struct AnyResource: Hashable, Sendable, CustomStringConvertible {
    /// The resource's kind.
    public var kind: ResourceKind { type(of: base).kind }
    /// The resource itself.
    public var base: any Resource

    /// Wraps a resource.
    public init(_ resource: some Resource) { base = resource }

    /// Wraps a resource already held as an existential.
    public init(erasing resource: any Resource) { base = resource }

    /// The resource's metadata.
    public var metadata: ObjectMeta {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    /// The resource as `type`, or nil when it is of another kind.
    public func `as`<R: Resource>(_ type: R.Type) -> R? { base as? R }

    /// Equal when both are the same kind with equal values (which is also
    /// when their encodings are equal).
    public static func == (lhs: AnyResource, rhs: AnyResource) -> Bool {
        func equal<R: Resource>(_ left: R) -> Bool { (rhs.base as? R) == left }
        return equal(lhs.base)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind.name)
        base.hash(into: &hasher)
    }

    /// `Kind/name`, or `Kind/namespace/name` for namespaced kinds.
    public var description: String {
        if let namespace = metadata.namespace { return "\(kind.name)/\(namespace)/\(metadata.name)" }
        return "\(kind.name)/\(metadata.name)"
    }
}
