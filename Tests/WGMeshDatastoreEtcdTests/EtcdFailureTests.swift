import GRPCCore
import Testing
import WGMeshDatastore
@testable import WGMeshDatastoreEtcd

@Suite("etcd error classification")
struct EtcdFailureTests {
    @Test("etcd's messages decide whether to retry", arguments: [
        (RPCError.Code.unavailable, "etcdserver: no leader", EtcdFailure.Kind.notApplied),
        (.unavailable, "etcdserver: leader changed", .ambiguous),
        (.unavailable, "etcdserver: request timed out", .ambiguous),
        (.unavailable, "Channel is in a transient failure state and 'wait for ready' isn't enabled.", .notApplied),
        (.unavailable, "The TCP connection was dropped unexpectedly.", .ambiguous),
        (.deadlineExceeded, "Timed out waiting for response", .ambiguous),
        (.invalidArgument, "etcdserver: invalid auth token", .invalidToken),
        (.invalidArgument, "etcdserver: user name is empty", .invalidToken),
        (.permissionDenied, "etcdserver: permission denied", .final(.permissionDenied)),
        (.invalidArgument, "etcdserver: authentication failed, invalid user ID or password",
         .final(.authenticationFailed)),
        (.notFound, "etcdserver: requested lease not found", .final(.leaseNotFound)),
        (.outOfRange, "etcdserver: mvcc: required revision has been compacted", .final(.compacted)),
        (.failedPrecondition, "etcdserver: role name already exists", .final(.alreadyExists)),
        (.outOfRange, "etcdserver: mvcc: required revision is a future revision", .final(.invalidRecord)),
    ] as [(RPCError.Code, String, EtcdFailure.Kind)])
    func classify(code: RPCError.Code, message: String, kind: EtcdFailure.Kind) {
        #expect(EtcdFailure.classify(code: code, message: message) == kind)
    }
}
