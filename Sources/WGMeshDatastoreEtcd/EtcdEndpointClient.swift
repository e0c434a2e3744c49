internal import EtcdAPI
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import WGMeshDatastore

/// One gRPC client to one etcd member, with a stub per etcd service.
///
/// One client per endpoint (rather than one client load-balancing over all
/// of them) lets the datastore decide where a request goes, so that it
/// knows which member a failed write was sent to and can move on.
struct EtcdEndpointClient: Sendable {
    typealias Transport = HTTP2ClientTransport.Posix

    /// The member's address, for error messages.
    let endpoint: EtcdEndpoint
    let grpc: GRPCClient<Transport>
    let kv: Etcdserverpb_KV.Client<Transport>
    let watch: Etcdserverpb_Watch.Client<Transport>
    let lease: Etcdserverpb_Lease.Client<Transport>
    let auth: Etcdserverpb_Auth.Client<Transport>
    let maintenance: Etcdserverpb_Maintenance.Client<Transport>

    init(endpoint: EtcdEndpoint, tls: EtcdTLSFiles?) throws {
        self.endpoint = endpoint
        var config = Transport.Config.defaults
        // Pings find a member that vanished without closing the connection
        // (a partition), so a watch moves on. etcd refuses pings more often
        // than every 5 s, and any ping without an open call.
        config.connection.keepalive = .init(time: .seconds(10), timeout: .seconds(5), allowWithoutCalls: false)
        // Reconnect quickly after a member restarts: failover tests and
        // rolling upgrades should not wait the default 1 s, then longer.
        config.backoff.initial = .milliseconds(100)
        config.backoff.max = .seconds(1)
        let transport = try Transport(
            target: Self.target(endpoint), transportSecurity: try Self.security(tls), config: config)
        grpc = GRPCClient(transport: transport)
        kv = Etcdserverpb_KV.Client(wrapping: grpc)
        watch = Etcdserverpb_Watch.Client(wrapping: grpc)
        lease = Etcdserverpb_Lease.Client(wrapping: grpc)
        auth = Etcdserverpb_Auth.Client(wrapping: grpc)
        maintenance = Etcdserverpb_Maintenance.Client(wrapping: grpc)
    }

    private static func target(_ endpoint: EtcdEndpoint) -> any ResolvableTarget {
        if endpoint.host.contains(":") { return .ipv6(address: endpoint.host, port: endpoint.port) }
        if endpoint.host.split(separator: ".").count == 4,
           endpoint.host.allSatisfy({ $0 == "." || $0.isNumber }) {
            return .ipv4(address: endpoint.host, port: endpoint.port)
        }
        return .dns(host: endpoint.host, port: endpoint.port)
    }

    private static func security(_ tls: EtcdTLSFiles?) throws -> Transport.TransportSecurity {
        guard let tls else { return .plaintext }
        if (tls.certFile == nil) != (tls.keyFile == nil) {
            throw DatastoreError(
                .invalidConfiguration,
                "a client certificate needs both its certificate and its key file: give both, or neither")
        }
        return .tls { config in
            if let cert = tls.certFile, let key = tls.keyFile {
                config.certificateChain = [.file(path: cert, format: .pem)]
                config.privateKey = .file(path: key, format: .pem)
            }
            if let ca = tls.caFile {
                config.trustRoots = .certificates([.file(path: ca, format: .pem)])
            }
        }
    }
}
