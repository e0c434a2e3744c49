import Glibc

/// The one place the userspace backend calls into libc: reads errno at once and retries EINTR.
///
/// Returns the call's result, or the positive errno when it returned -1.
@inline(__always)
func retryingInterrupts<T: FixedWidthInteger>(_ call: () -> T) -> Result<T, SystemErrno> {
    while true {
        let result = call()
        if result != -1 { return .success(result) }
        let code = errno
        if code != EINTR { return .failure(SystemErrno(code)) }
    }
}

/// A positive errno value from a failed system call.
struct SystemErrno: Error, Equatable {
    /// The positive errno.
    var rawValue: Int32
    init(_ rawValue: Int32) { self.rawValue = rawValue }
    /// The C library's text for it.
    var text: String { WireGuardError.describe(errno: rawValue) }
}

/// `strerror` without the thread-safety trap: copies the text via `strerror_r`.
func strerrorText(_ value: Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: 256)
    // Swift sees the XSI strerror_r: 0 means `buffer` holds the text.
    guard strerror_r(value, &buffer, buffer.count) == 0 else { return nil }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
