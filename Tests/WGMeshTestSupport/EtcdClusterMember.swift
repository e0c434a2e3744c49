import Glibc

/// One member's name, ports and paths; the process itself is the cluster's.
struct EtcdMember: Sendable {
    var name: String
    var clientPort: UInt16
    var peerPort: UInt16
    var dataDirectory: String
    var logPath: String
    var tls: EtcdTestTLS?

    var clientURL: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(clientPort)" }
    var peerURL: String { "http://127.0.0.1:\(peerPort)" }

    /// Members with distinct free ports, data dirs and logs under `directory`.
    static func allocate(count: Int, directory: String, tls: EtcdTestTLS?) throws -> [EtcdMember] {
        var taken: Set<UInt16> = []
        return try (0..<count).map { index in
            let client = try freePort(avoiding: &taken), peer = try freePort(avoiding: &taken)
            return EtcdMember(name: "m\(index)", clientPort: client, peerPort: peer,
                              dataDirectory: "\(directory)/m\(index).etcd", logPath: "\(directory)/m\(index).log",
                              tls: tls)
        }
    }

    /// etcd's flags for this member of `cluster`. The same flags serve a
    /// restart: etcd ignores the initial-cluster ones once the data dir exists.
    func arguments(cluster: [EtcdMember]) -> [String] {
        var arguments = [
            "--name", name,
            "--data-dir", dataDirectory,
            "--listen-client-urls", clientURL,
            "--advertise-client-urls", clientURL,
            "--listen-peer-urls", peerURL,
            "--initial-advertise-peer-urls", peerURL,
            "--initial-cluster", cluster.map { "\($0.name)=\($0.peerURL)" }.joined(separator: ","),
            "--initial-cluster-state", "new",
            "--initial-cluster-token", "wgmesh-test-\(cluster[0].clientPort)",
            "--heartbeat-interval", "50",
            "--election-timeout", "500",
            "--logger", "zap",
        ]
        if let tls {
            arguments += ["--cert-file", tls.serverCertFile, "--key-file", tls.serverKeyFile,
                          "--trusted-ca-file", tls.caFile, "--client-cert-auth"]
        }
        return arguments
    }
}

/// A random port in 20000..<60000 that nothing listens on right now.
private func freePort(avoiding taken: inout Set<UInt16>) throws -> UInt16 {
    for _ in 0..<100 {
        let port = UInt16.random(in: 20000..<60000)
        if taken.contains(port) { continue }
        if canBind(port) {
            taken.insert(port)
            return port
        }
    }
    throw EtcdClusterError(reason: "no free TCP port found on 127.0.0.1 after 100 tries")
}

private func canBind(_ port: UInt16) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
