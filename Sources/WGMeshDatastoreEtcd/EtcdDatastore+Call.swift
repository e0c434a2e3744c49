internal import EtcdAPI
internal import GRPCCore
internal import WGMeshDatastore

extension EtcdDatastore {
    /// Which failures a request may be repeated after.
    enum Retry {
        /// Reads and writes whose repetition is harmless: after any transient failure.
        case always
        /// Conditional writes: only when the request certainly was not applied.
        case unlessAmbiguous
    }

    /// The body of one attempt: the member's stubs, the metadata to send, the call options.
    typealias Attempt<R> = @Sendable (EtcdEndpointClient, Metadata, CallOptions) async throws -> R

    /// Runs `body` against the preferred member and fails over to the others
    /// until it succeeds, fails for good, or `within` (default: the request
    /// timeout) runs out.
    func call<R: Sendable>(_ operation: String, key: String? = nil, retry: Retry, within: Duration? = nil,
                           _ body: Attempt<R>) async throws -> R
    {
        let clock = ContinuousClock()
        let deadline = clock.now + (within ?? options.requestTimeout)
        var index = state.withLock { $0.preferred }
        var tried: [String] = []
        var last: EtcdFailure?
        var loggedIn = false
        var backoff = Duration.milliseconds(25)
        var tlsFailures: Set<Int> = []
        attempts: while true {
            if state.withLock({ $0.closed }) { throw Self.closedError }
            let remaining = deadline - clock.now
            if remaining <= .zero { break attempts }
            let client = unaryClient(index)
            var callOptions = CallOptions.defaults
            // Fail fast on a member that is down rather than queue for it.
            callOptions.waitForReady = false
            callOptions.timeout = min(remaining, options.dialTimeout)
            do {
                let result = try await body(client, metadata(), callOptions)
                if tried.isEmpty == false { state.withLock { $0.preferred = index } }
                return result
            } catch let error as DatastoreError {
                throw error
            } catch {
                if Task.isCancelled { throw Self.closedError }
                let failure = EtcdFailure(error)
                last = failure
                if failure.tlsError(endpoints: "") != nil {
                    tlsFailures.insert(index)
                    if tlsFailures.count == clients.count {
                        if !tried.contains(client.endpoint.description) { tried.append(client.endpoint.description) }
                        break attempts
                    }
                }
                switch failure.kind {
                case .notApplied:
                    break
                case .ambiguous where retry == .always:
                    break
                case .ambiguous:
                    throw DatastoreError(
                        .unavailable, key: key,
                        "etcd member \(client.endpoint) failed during \(operation) (\(failure.message)), so it is unknown "
                            + "whether the change was applied: read \(key ?? "the keys") again before retrying")
                case .invalidToken where options.username != nil && !loggedIn:
                    loggedIn = true
                    try await authenticate()
                    continue
                case .invalidToken:
                    throw authError(failure)
                case .final(let code):
                    throw mapped(code, failure, operation: operation, key: key, endpoint: client.endpoint)
                }
            }
            let name = client.endpoint.description
            if !tried.contains(name) { tried.append(name) }
            logger.debug("etcd request failed; trying the next member",
                         metadata: ["etcd.endpoint": "\(name)", "etcd.error": "\(last?.message ?? "")"])
            index = (index + 1) % clients.count
            try? await Task.sleep(for: min(backoff, max(deadline - clock.now, .zero)))
            backoff = min(backoff * 2, .milliseconds(500))
        }
        let members = (tried.isEmpty ? options.endpoints.map(\.description) : tried).joined(separator: ", ")
        if let tlsError = last?.tlsError(endpoints: members) { throw tlsError }
        throw DatastoreError(
            .unavailable, key: key,
            "no etcd member completed \(operation) in time (tried \(members); last error: \(last?.message ?? "none")): "
                + "check that etcd is running, reachable and has a leader, and that the TLS settings match")
    }

    /// The metadata every request carries: the auth token, and "hasleader" so
    /// that a member cut off from the leader refuses at once ("no leader")
    /// instead of holding the request until it times out.
    func metadata() -> Metadata {
        var metadata: Metadata = ["hasleader": "true"]
        if let token = state.withLock({ $0.token }) { metadata.addString(token, forKey: "token") }
        return metadata
    }

    /// Logs in with the user name and password and keeps the token.
    func authenticate() async throws {
        guard let username = options.username, let password = options.password else { return }
        state.withLock { $0.token = nil }
        var login = Etcdserverpb_AuthenticateRequest()
        login.name = username
        login.password = password
        let request = login
        let response = try await call("authenticate", retry: .always, within: options.dialTimeout) {
            client, _, callOptions -> Etcdserverpb_AuthenticateResponse? in
            do {
                // No token: a stale one would make etcd refuse the login itself.
                return try await client.auth.authenticate(request, metadata: [:], options: callOptions)
            } catch let error as RPCError where error.message.hasSuffix("authentication is not enabled") {
                // Not an error: the cluster has no auth yet (init-rbac logs
                // in again after enabling it).
                return nil
            }
        }
        state.withLock { $0.token = response?.token }
    }

    func authError(_ failure: EtcdFailure) -> DatastoreError {
        if let username = options.username {
            return DatastoreError(
                .authenticationFailed,
                "etcd refused user \(username) (\(failure.message)): check the user name and the password file")
        }
        return DatastoreError(
            .authenticationFailed,
            "etcd has authentication on and no user was given (\(failure.message)): "
                + "give a user name and password file, or a client certificate whose CN is a user")
    }

    private func mapped(_ code: DatastoreError.Code, _ failure: EtcdFailure, operation: String, key: String?,
                        endpoint: EtcdEndpoint) -> DatastoreError
    {
        let who = options.username.map { "user \($0)" } ?? "this client"
        switch code {
        case .authenticationFailed:
            return authError(failure)
        case .permissionDenied:
            return DatastoreError(
                .permissionDenied, key: key,
                "etcd denied \(operation)\(key.map { " on \($0)" } ?? "") to \(who): "
                    + "grant its role access to the key (wgmesh datastore init-rbac sets up the roles)")
        case .leaseNotFound:
            return DatastoreError(.leaseNotFound, "the lease expired or was revoked: grant a new one")
        case .compacted:
            return DatastoreError(
                .compacted, key: key, "etcd compacted the history \(operation) needed: list again and retry")
        default:
            return DatastoreError(code, key: key, "etcd (\(endpoint)) refused \(operation): \(failure.message)")
        }
    }
}
