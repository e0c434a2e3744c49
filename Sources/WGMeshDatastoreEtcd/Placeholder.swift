// PLACEHOLDER: replaced by the helper that owns WGMeshDatastoreEtcd.
