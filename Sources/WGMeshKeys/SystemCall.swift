internal import Glibc

/// The one place key code calls into the system: retries EINTR, and turns
/// a failure into the errno read right after the call.
enum SystemCall {
    /// Runs `call` until it is not interrupted; returns its result, or the
    /// positive errno as the failure.
    static func retrying<T: BinaryInteger>(_ call: () -> T) -> Result<T, SystemErrno> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            let code = Glibc.errno
            if code != EINTR { return .failure(SystemErrno(code)) }
        }
    }
}

/// A positive errno with its C name's message, for error reasons.
struct SystemErrno: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    /// strerror's text, e.g. "Permission denied".
    var message: String { String(cString: strerror(code)) }
}
