internal import ArgumentParser
internal import WGMeshResources

/// How `wgmesh get` prints resources.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Columns for people.
    case table
    /// `table` with more columns.
    case wide
    /// The resources as YAML documents, ready for `wgmesh apply`.
    case yaml
    /// One JSON object for a named get; `{"items": [...]}` for a list.
    case json

    /// The text for `resources` of kind `kind`; `single` is a named get.
    func render(_ resources: [AnyResource], kind: ResourceKind, single: Bool) -> String {
        switch self {
        case .table, .wide:
            return ResourceTable(kind: kind, resources: resources, wide: self == .wide).text
        case .yaml:
            return ResourceCodec.encodeYAML(resources)
        case .json:
            let value: JSONValue = single && resources.count == 1
                ? ResourceCodec.encode(resources[0].base)
                : .object(DocumentObject([("items", .array(resources.map { ResourceCodec.encode($0.base) }))]))
            return JSONWriter.string(value, pretty: true) + "\n"
        }
    }
}
