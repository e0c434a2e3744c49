// PLACEHOLDER: replaced by the helper that owns WGMeshDatastoreConnect.
