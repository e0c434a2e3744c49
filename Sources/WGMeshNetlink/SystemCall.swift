import Glibc

/// Runs a system call that returns -1 and sets errno on failure, retrying EINTR.
///
/// This is the one place errno is read, right after the call, so nothing in
/// between (an allocation, a print) can overwrite it.
@inline(__always)
func systemCall<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ body: () -> T) throws(NetlinkError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR { continue }
        throw NetlinkError(.system, operation: operation(), errno: code)
    }
}
