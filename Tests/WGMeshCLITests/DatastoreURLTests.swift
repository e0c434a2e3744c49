import Testing
import WGMeshDatastore

/// The URL forms `--datastore` and `WGMESH_DATASTORE` accept, and the errors
/// for everything else.
@Suite struct DatastoreURLTests {
    typealias Endpoint = DatastoreURL.Endpoint

    @Test(arguments: [
        ("sqlite:///var/lib/wgmesh/datastore.db", DatastoreURL.sqlite(path: "/var/lib/wgmesh/datastore.db")),
        ("SQLite:///tmp/x.db", .sqlite(path: "/tmp/x.db")),
        ("sqlite:/tmp/x.db", .sqlite(path: "/tmp/x.db")),
        ("sqlite:data/x.db", .sqlite(path: "/home/op/data/x.db")),
        ("sqlite:x.db", .sqlite(path: "/home/op/x.db")),
        ("etcd://127.0.0.1:2379", .etcd(endpoints: [Endpoint(host: "127.0.0.1", port: 2379)], tls: false)),
        ("etcd://etcd-a", .etcd(endpoints: [Endpoint(host: "etcd-a", port: 2379)], tls: false)),
        ("etcd://etcd-a:32379/", .etcd(endpoints: [Endpoint(host: "etcd-a", port: 32379)], tls: false)),
        ("etcd://a:1,b,[::1]:2380", .etcd(endpoints: [Endpoint(host: "a", port: 1), Endpoint(host: "b", port: 2379),
                                                      Endpoint(host: "::1", port: 2380)], tls: false)),
        ("etcd://[fe80::1]", .etcd(endpoints: [Endpoint(host: "fe80::1", port: 2379)], tls: false)),
        ("etcds://10.0.0.1:2379,10.0.0.2:2379",
         .etcd(endpoints: [Endpoint(host: "10.0.0.1", port: 2379), Endpoint(host: "10.0.0.2", port: 2379)], tls: true)),
        ("ETCDS://h:65535", .etcd(endpoints: [Endpoint(host: "h", port: 65535)], tls: true)),
    ])
    func parsesTheAcceptedForms(text: String, expected: DatastoreURL) throws {
        #expect(try DatastoreURL(parsing: text, currentDirectory: "/home/op") == expected)
    }

    @Test(arguments: [
        ("sqlite:///var/lib/wgmesh/datastore.db", "sqlite:///var/lib/wgmesh/datastore.db"),
        ("sqlite:rel.db", "sqlite:///srv/rel.db"),
        ("etcd://a,[::1]:1", "etcd://a:2379,[::1]:1"),
        ("etcds://h", "etcds://h:2379"),
    ])
    func printsTheCanonicalFormThatParsesBackToTheSameURL(text: String, canonical: String) throws {
        let url = try DatastoreURL(parsing: text, currentDirectory: "/srv/")
        #expect(url.description == canonical)
        #expect(try DatastoreURL(parsing: url.description) == url)
    }

    @Test(arguments: [
        ("", "has no scheme"),
        ("/var/lib/x.db", "has no scheme"),
        ("postgres://h/db", "scheme 'postgres' is not supported"),
        ("sqlite:", "names no file"),
        ("sqlite:///", "names no file"),
        ("sqlite:///var/lib/", "names no file"),
        ("sqlite://host/x.db", "take no host"),
        ("sqlite://", "take no host"),
        ("etcd://", "names no endpoint"),
        ("etcd://a,,b", "empty endpoint"),
        ("etcd://a:0", "port '0' is not a number from 1 to 65535"),
        ("etcd://a:65536", "port '65536'"),
        ("etcd://a:+80", "port '+80'"),
        ("etcd://a:", "port ''"),
        ("etcd://a:x", "port 'x'"),
        ("etcd://::1:2379", "bare IPv6 address; put it in brackets"),
        ("etcd://[::1", "without closing"),
        ("etcd://[::1]x", "after the address"),
        ("etcd://[10.0.0.1]:2379", "is not an IPv6 address"),
        ("etcd://a_b:2379", "'a_b' is not a host name"),
        ("etcd://h:2379/v3/kv", "take no path"),
        ("etcds://", "names no endpoint"),
    ])
    func refusesBadURLsNamingTheProblemAndTheAcceptedForms(text: String, problem: String) {
        #expect {
            try DatastoreURL(parsing: text, currentDirectory: "/")
        } throws: { error in
            guard let error = error as? DatastoreError else { return false }
            return error.code == .invalidConfiguration && error.reason.contains(problem)
                && error.reason.contains(DatastoreURL.acceptedForms)
        }
    }

    @Test func neverEchoesAPasswordWrittenIntoTheURL() {
        #expect {
            try DatastoreURL(parsing: "etcd://root:hunter2@h:2379")
        } throws: { error in
            let reason = (error as? DatastoreError)?.reason ?? ""
            return reason.contains("--etcd-password-file") && !reason.contains("hunter2")
        }
    }

    @Test func theDefaultIsAnAbsoluteSQLitePath() throws {
        #expect(try DatastoreURL(parsing: DatastoreURL.defaultText) == .sqlite(path: "/var/lib/wgmesh/datastore.db"))
    }

    @Test func aRelativePathWithoutADirectoryUsesTheWorkingDirectory() throws {
        guard case .sqlite(let path) = try DatastoreURL(parsing: "sqlite:x.db") else {
            Issue.record("not a sqlite URL")
            return
        }
        #expect(path.hasPrefix("/"))
        #expect(path.hasSuffix("/x.db"))
    }
}
