internal import Logging
internal import WGMeshDatastore
internal import WGMeshDatastoreEtcd

extension DatastoreConnector {
    /// Connects to etcd; the credentials were checked by the caller.
    static func connectEtcd(endpoints: [DatastoreURL.Endpoint], tls: Bool, credentials: DatastoreCredentials,
                            password: String?, logger: Logger) async throws -> EtcdDatastore
    {
        let options = EtcdOptions(
            endpoints: endpoints.map { EtcdEndpoint(host: $0.host, port: Int($0.port)) },
            tls: tls ? EtcdTLSFiles(caFile: credentials.caFile, certFile: credentials.certFile,
                                    keyFile: credentials.keyFile) : nil,
            username: credentials.username, password: password)
        return try await EtcdDatastore.connect(options, logger: logger)
    }
}
