internal import WGMeshDatastore

extension EtcdFailure {
    /// A TLS handshake failure, read from BoringSSL's words in the cause, as
    /// the error an operator can act on; nil for other failures.
    ///
    /// Retrying does not fix these, so once every member failed this way the
    /// request stops rather than wait out the timeout.
    func tlsError(endpoints: String) -> DatastoreError? {
        let refusedClient = ["ALERT_BAD_CERTIFICATE", "CERTIFICATE_REQUIRED", "ALERT_HANDSHAKE_FAILURE",
                             "ALERT_UNKNOWN_CA", "ALERT_CERTIFICATE_UNKNOWN"]
        if refusedClient.contains(where: message.contains) {
            return DatastoreError(
                .authenticationFailed,
                "etcd (\(endpoints)) refused our TLS client certificate, or we sent none (\(message)): give a "
                    + "client certificate and key signed by a CA the cluster trusts (--trusted-ca-file)")
        }
        if message.contains("CERTIFICATE_VERIFY_FAILED") || message.contains("handshakeFailed") {
            return DatastoreError(
                .authenticationFailed,
                "the certificate of etcd (\(endpoints)) was not accepted (\(message)): set the CA file to the "
                    + "CA that signed the cluster's server certificate, and check it names the host you connect to")
        }
        if message.contains("WRONG_VERSION_NUMBER") || message.contains("sslError") {
            return DatastoreError(
                .unavailable,
                "TLS with etcd (\(endpoints)) failed (\(message)): check the scheme, etcds:// for a cluster "
                    + "with TLS and etcd:// for one without")
        }
        return nil
    }
}
