import WGMeshResources

/// The JSON of a `nodestatus/<node>` record: the `status` object of a Node
/// document, stored on its own.
///
/// It reuses the Node codec's status fields, so the status reads the same
/// in `wgmesh get node -o json` and in the store.
enum NodeStatusCodec {
    /// The compact JSON of `status`.
    static func encode(_ status: NodeStatus) -> [UInt8] {
        let fields = Node(metadata: ObjectMeta(name: "status"), status: status).encodeFields()
        let value = fields.first { $0.0 == "status" }?.1 ?? .object(DocumentObject())
        return JSONWriter.write(value)
    }

    /// Decodes a status record leniently, as every datastore read is.
    static func decode(_ bytes: [UInt8]) throws(ResourceError) -> NodeStatus {
        let value = try JSONParser.parse(bytes)
        guard case .object = value else {
            throw ResourceError(.invalidField, path: "status", "a node status is a JSON object, not \(value.typeName)")
        }
        let node = try Node(metadata: ObjectMeta(name: "status"), fields: DocumentObject([("status", value)]),
                            strict: false)
        // Cannot be nil: the status member is present and is an object.
        return node.status ?? NodeStatus(updated: 0)
    }
}
