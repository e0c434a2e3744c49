internal import GRPCCore
internal import WGMeshDatastore

/// What a failed etcd call means for retrying it.
///
/// etcd reports its own errors as gRPC statuses with fixed messages
/// ("etcdserver: ..."), so the message, not only the code, decides.
struct EtcdFailure: Error, CustomStringConvertible {
    /// How the failure bears on a retry.
    enum Kind: Equatable {
        /// The request never reached etcd's log: any request may go to another member.
        case notApplied
        /// The member went away while the request was in flight: it may have
        /// been applied. Only requests that are harmless to repeat move on.
        case ambiguous
        /// The auth token expired or the member restarted: log in again.
        case invalidToken
        /// An answer, not a fault: retrying changes nothing.
        case final(DatastoreError.Code)
    }

    var kind: Kind
    /// etcd's or gRPC's message, shown in the reason.
    var message: String

    var description: String { message }

    init(_ error: any Error) {
        guard let rpc = error as? RPCError else {
            kind = .ambiguous
            message = "\(error)"
            return
        }
        message = rpc.cause.map { "\(rpc.message) (\($0))" } ?? rpc.message
        kind = Self.classify(code: rpc.code, message: rpc.message)
    }

    /// Sorts an etcd 3.4 error (see etcd's api/v3rpc/rpctypes) or a transport error.
    static func classify(code: RPCError.Code, message: String) -> Kind {
        if message.hasPrefix("etcdserver: ") {
            let text = message.dropFirst("etcdserver: ".count)
            switch text {
            // Refused before the proposal: nothing was written.
            case "no leader", "too many requests", "unhealthy cluster", "not capable":
                return .notApplied
            case "invalid auth token", "user name is empty":
                return .invalidToken
            case "permission denied":
                return .final(.permissionDenied)
            case "authentication failed, invalid user ID or password", "invalid auth management":
                return .final(.authenticationFailed)
            case "requested lease not found":
                return .final(.leaseNotFound)
            case "mvcc: required revision has been compacted":
                return .final(.compacted)
            case "root user does not exist", "root user does not have root role":
                return .final(.invalidConfiguration)
            case "user name already exists", "role name already exists":
                return .final(.alreadyExists)
            case "user name not found", "role name not found", "permission is not granted to the role",
                 "role is not granted to the user", "user name does not exist":
                return .final(.notFound)
            case "mvcc: required revision is a future revision", "request is too large",
                 "duplicate key given in txn request", "key is not provided", "too many operations in txn request":
                return .final(.invalidRecord)
            default:
                // "leader changed", "request timed out ...", "request cancelled":
                // the proposal may still commit.
                if code == .unavailable || code == .deadlineExceeded || code == .cancelled { return .ambiguous }
                return .final(.malformedReply)
            }
        }
        switch code {
        case .unavailable:
            // grpc-swift's own words when it had no connection to send on.
            let unsent = ["transient failure", "no subchannel", "Subchannel shutdown", "resolve", "shutting down"]
            return unsent.contains { message.contains($0) } ? .notApplied : .ambiguous
        case .deadlineExceeded, .cancelled, .unknown, .internalError, .aborted:
            return .ambiguous
        case .permissionDenied:
            return .final(.permissionDenied)
        case .unauthenticated:
            return .final(.authenticationFailed)
        case .resourceExhausted:
            return .final(.invalidRecord)
        default:
            return .final(.malformedReply)
        }
    }
}
