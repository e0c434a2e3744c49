import Glibc

/// A positive errno from a failed system call, with the C library's text.
///
/// Every module calls the system through ``retrying(_:)``: it reads errno
/// straight after the call, before anything else can overwrite it, and
/// retries calls interrupted by a signal (the corresponding C error is `EINTR`).
public struct SystemErrno: Error, Hashable, Sendable, CustomStringConvertible {
    /// The positive errno value, e.g. 2 for `ENOENT`.
    public var rawValue: Int32

    /// Wraps a positive errno value.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// Runs `call` until it is not interrupted; returns its result, or the
    /// errno when it returned a negative value.
    @inline(__always)
    public static func retrying<T: BinaryInteger>(_ call: () -> T) -> Result<T, SystemErrno> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            let code = errno
            if code != EINTR { return .failure(SystemErrno(code)) }
        }
    }

    /// `strerror_r`'s text, e.g. "No such file or directory", as wg(8) prints it.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 256)
        // Swift sees the XSI strerror_r: 0 means `buffer` holds the text.
        guard strerror_r(rawValue, &buffer, buffer.count) == 0 else { return "errno \(rawValue)" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
