internal import EtcdAPI
internal import GRPCCore
public import WGMeshDatastore

extension EtcdDatastore {
    /// Grants a lease. A grant repeated after a lost reply leaves an unused
    /// lease behind, which simply expires.
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttlSeconds
        let response = try await call("grant lease", retry: .always) { [request] client, metadata, options in
            try await client.lease.leaseGrant(request, metadata: metadata, options: options)
        }
        guard response.id != 0 else {
            throw DatastoreError(.malformedReply, "etcd granted lease 0 (\(response.error)): check the etcd logs")
        }
        return LeaseID(rawValue: response.id)
    }

    /// Renews a lease over a one-message LeaseKeepAlive stream; etcd answers
    /// TTL 0 for a lease it no longer has.
    public func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        var request = Etcdserverpb_LeaseKeepAliveRequest()
        request.id = lease.rawValue
        let ttl = try await call("keep lease alive", retry: .always) { [request] client, metadata, options in
            try await client.lease.leaseKeepAlive(
                metadata: metadata, options: options,
                requestProducer: { writer in try await writer.write(request) },
                onResponse: { response in
                    for try await reply in response.messages { return reply.ttl }
                    throw DatastoreError(.malformedReply, "etcd closed a lease keep-alive without an answer")
                })
        }
        guard ttl > 0 else {
            throw DatastoreError(.leaseNotFound, "\(lease) expired or was revoked: grant a new one")
        }
        return ttl
    }

    /// Revokes a lease, deleting its keys. A revoke repeated after a lost
    /// reply finds the lease gone, which is what was asked for.
    public func revokeLease(_ lease: LeaseID) async throws {
        var request = Etcdserverpb_LeaseRevokeRequest()
        request.id = lease.rawValue
        let attempts = Attempts()
        do {
            _ = try await call("revoke lease", retry: .always) { [request] client, metadata, options in
                attempts.count()
                return try await client.lease.leaseRevoke(request, metadata: metadata, options: options)
            }
        } catch let error as DatastoreError where error.code == .leaseNotFound && attempts.value > 1 {
            return
        } catch let error as DatastoreError where error.code == .leaseNotFound {
            throw DatastoreError(.leaseNotFound, "\(lease) expired or was revoked already: nothing to revoke")
        }
    }
}
