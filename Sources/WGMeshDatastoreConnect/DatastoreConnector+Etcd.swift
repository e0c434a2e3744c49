internal import Logging
internal import WGMeshDatastore
internal import WGMeshDatastoreEtcd

extension DatastoreConnector {
    /// Connects to etcd; the credentials were checked by the caller.
    static func connectEtcd(endpoints: [DatastoreURL.Endpoint], tls: Bool, credentials: DatastoreCredentials,
                            password: String?, logger: Logger) async throws -> any Datastore
    {
        // The etcd backend is not in this build yet.
        throw DatastoreError(.unavailable, "this wgmesh was built without the etcd backend: use a sqlite: URL")
    }
}
