public import WGMeshCore

/// Every datastore resource: a kind, metadata, and a spec (and for some a status).
///
/// Adding a kind means one new type conforming to this protocol and one line
/// in ``ResourceKind/all``; the codec, the store and the CLI find it there.
public protocol Resource: Hashable, Sendable {
    /// The kind's names and storage layout.
    static var kind: ResourceKind { get }
    /// Name, labels, resource version.
    var metadata: ObjectMeta { get set }
    /// The node that owns this record, for kinds stored under their node
    /// (block affinities, workload endpoints); nil for cluster-wide kinds.
    var owningNode: String? { get }
    /// Decodes `spec` (and `status`) from the document's object.
    /// `strict` refuses unknown fields (user input); datastore reads are lenient.
    init(metadata: ObjectMeta, fields: DocumentObject, strict: Bool) throws(ResourceError)
    /// The document's `spec` (and `status`) fields, in a stable order.
    func encodeFields() -> [(String, JSONValue)]
    /// Checks the record on its own (keys, CIDRs, names, ranges); cross-record
    /// rules live in the datastore layer.
    func validate() throws(ResourceError)
}

extension Resource {
    public var owningNode: String? { nil }
}

/// The metadata every resource carries.
public struct ObjectMeta: Hashable, Sendable {
    /// The resource's name: a DNS-1123 subdomain (lower-case letters, digits,
    /// '-' and '.', at most 253 characters).
    public var name: String
    /// The namespace, for namespaced kinds (WorkloadEndpoint); nil otherwise.
    public var namespace: String?
    /// Labels, matched by selectors.
    public var labels: [String: String]
    /// The datastore's revision of this record, as text; set on reads.
    /// On writes it is a compare-and-swap guard when present.
    public var resourceVersion: String?

    /// Creates metadata.
    public init(name: String, namespace: String? = nil, labels: [String: String] = [:], resourceVersion: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.resourceVersion = resourceVersion
    }
}
