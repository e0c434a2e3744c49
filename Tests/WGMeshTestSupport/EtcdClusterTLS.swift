import Glibc

/// PEM files for an etcd test cluster with client-certificate auth: a CA, a
/// server certificate for 127.0.0.1, and a client certificate whose CN is a
/// user name (etcd maps the CN to the user when auth is on).
public struct EtcdTestTLS: Sendable {
    /// The CA certificate that signed both others.
    public var caFile: String
    /// The CA's key, for signing more client certificates.
    public var caKeyFile: String
    /// The server certificate (IP SAN 127.0.0.1).
    public var serverCertFile: String
    /// The server's key.
    public var serverKeyFile: String
    /// The client certificate (CN = the user given to `generate`).
    public var clientCertFile: String
    /// The client's key.
    public var clientKeyFile: String

    /// Makes a CA, a server certificate and a client certificate for
    /// `user` in `directory` with /usr/bin/openssl.
    public static func generate(in directory: String, user: String = "root") throws -> EtcdTestTLS {
        let ca = "\(directory)/ca.pem", caKey = "\(directory)/ca-key.pem"
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                     "-keyout", caKey, "-out", ca, "-subj", "/CN=wgmesh-test-ca"])
        let extensions = "\(directory)/server.ext"
        try writeFile(extensions, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n")
        let (serverCert, serverKey) = try signed(name: "server", subject: "/CN=127.0.0.1", extensions: extensions,
                                                 directory: directory, ca: ca, caKey: caKey)
        var tls = EtcdTestTLS(caFile: ca, caKeyFile: caKey, serverCertFile: serverCert, serverKeyFile: serverKey,
                              clientCertFile: "", clientKeyFile: "")
        (tls.clientCertFile, tls.clientKeyFile) = try tls.clientCertificate(user: user, in: directory)
        return tls
    }

    /// Signs another client certificate with CN = `user`; returns (cert, key) paths.
    public func clientCertificate(user: String, in directory: String) throws -> (cert: String, key: String) {
        let extensions = "\(directory)/client.ext"
        try writeFile(extensions, "extendedKeyUsage=clientAuth\n")
        return try signed(name: "client-\(user)", subject: "/CN=\(user)", extensions: extensions,
                          directory: directory, ca: caFile, caKey: caKeyFile)
    }
}

private func signed(name: String, subject: String, extensions: String, directory: String, ca: String,
                    caKey: String) throws -> (String, String)
{
    let key = "\(directory)/\(name)-key.pem", request = "\(directory)/\(name).csr", cert = "\(directory)/\(name).pem"
    try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", subject])
    try openssl(["x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial",
                 "-days", "2", "-extfile", extensions, "-out", cert])
    return (cert, key)
}

private func openssl(_ arguments: [String]) throws {
    let result = try runProcess("/usr/bin/openssl", arguments)
    guard result.status == 0 else {
        throw EtcdClusterError(reason: "openssl \(arguments.first ?? "") failed: \(result.standardError)")
    }
}

private func writeFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "w") else {
        throw EtcdClusterError(reason: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    fputs(text, file)
}
