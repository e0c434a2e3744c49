import WGMeshCore

/// Runs a system call through ``SystemErrno/retrying(_:)`` and turns a
/// failure into a ``NetlinkError`` naming `operation`.
@inline(__always)
func systemCall<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ body: () -> T) throws(NetlinkError) -> T {
    switch SystemErrno.retrying(body) {
    case .success(let result): return result
    case .failure(let failure): throw NetlinkError(.system, operation: operation(), errno: failure.rawValue)
    }
}
