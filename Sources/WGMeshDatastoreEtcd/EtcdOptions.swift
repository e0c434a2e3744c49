/// How to reach an etcd cluster and prove who we are.
public struct EtcdOptions: Sendable {
    /// The client endpoints, tried in this order (the first that answers is kept).
    public var endpoints: [EtcdEndpoint]
    /// TLS settings; nil means plain HTTP/2.
    public var tls: EtcdTLSFiles?
    /// etcd user name for password authentication; nil when auth is off or a
    /// client certificate names the user.
    public var username: String?
    /// The user's password (read from a file by the caller, never logged).
    public var password: String?
    /// How long `connect` waits for the first endpoint to answer.
    public var dialTimeout: Duration
    /// How long one request may take, failover retries included.
    public var requestTimeout: Duration

    /// Creates options; the timeouts default to etcdctl's (5 s dial) and 10 s per request.
    public init(endpoints: [EtcdEndpoint], tls: EtcdTLSFiles? = nil, username: String? = nil,
                password: String? = nil, dialTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(10))
    {
        self.endpoints = endpoints
        self.tls = tls
        self.username = username
        self.password = password
        self.dialTimeout = dialTimeout
        self.requestTimeout = requestTimeout
    }
}

/// One etcd client endpoint.
public struct EtcdEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// A host name, an IPv4 address, or an IPv6 address without brackets.
    public var host: String
    /// The client port (etcd's default is 2379).
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int = 2379) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with IPv6 addresses in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// PEM files for TLS to etcd.
public struct EtcdTLSFiles: Hashable, Sendable {
    /// The certificate authorities that may sign the server's certificate;
    /// nil trusts the system's roots.
    public var caFile: String?
    /// The client certificate, for clusters started with `--client-cert-auth`.
    public var certFile: String?
    /// The client certificate's private key.
    public var keyFile: String?

    /// Creates TLS settings; give `certFile` and `keyFile` together.
    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
