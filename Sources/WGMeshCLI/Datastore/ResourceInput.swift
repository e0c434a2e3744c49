internal import WGMeshResources

/// Turns the text given to `apply` into resources, strictly (unknown fields
/// are errors) and validated one by one.
enum ResourceInput {
    /// The resources of a YAML stream or JSON text; a document that is an
    /// `{"items": [...]}` list (what `get -o json` prints) counts as its items.
    static func decode(_ bytes: [UInt8], source: String) throws -> [AnyResource] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure("\(source) is not UTF-8 text: give a YAML or JSON file")
        }
        let documents = try YAMLBridge.documents(text)
        let resources: [AnyResource]
        if documents.contains(where: { itemList($0) != nil }) {
            resources = try decodeExpandingLists(documents)
        } else {
            // The codec's own path keeps line numbers in its errors.
            resources = try ResourceCodec.decodeYAML(text)
        }
        guard !resources.isEmpty else { throw CommandFailure("\(source) holds no resources") }
        return resources
    }

    /// The items of a `{"items": [...]}` document, or nil for a plain resource.
    private static func itemList(_ document: JSONValue) -> [JSONValue]? {
        guard case .object(let object) = document, object.members.count == 1,
              case .array(let items)? = object["items"]
        else { return nil }
        return items
    }

    private static func decodeExpandingLists(_ documents: [JSONValue]) throws -> [AnyResource] {
        var resources: [AnyResource] = []
        for (index, document) in documents.enumerated() {
            for (itemIndex, item) in (itemList(document) ?? [document]).enumerated() {
                let place = itemList(document) == nil
                    ? "document \(index + 1)" : "document \(index + 1), item \(itemIndex + 1)"
                do {
                    let resource = try ResourceCodec.decode(item, strict: true)
                    try resource.base.validate()
                    resources.append(resource)
                } catch {
                    throw CommandFailure("\(place): \(error.description)")
                }
            }
        }
        return resources
    }
}
