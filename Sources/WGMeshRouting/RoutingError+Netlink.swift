import Glibc
internal import WGMeshNetlink

extension RoutingError {
    /// Wraps a netlink failure of `operation`, picking the code from errno and
    /// ending the reason with advice that fits that code.
    init(_ error: NetlinkError, operation: String) {
        let code: Code
        let advice: String
        switch error.code {
        case .malformed, .truncated:
            code = .malformed
            advice = "the kernel's reply could not be parsed; please report this with the kernel version"
        case .system:
            code = .system
            advice = "the netlink socket failed; check that this process may open AF_NETLINK sockets"
        case .interrupted:
            code = .kernel
            advice = "the kernel's tables kept changing while we read them; retry"
        default:
            (code, advice) = Self.classify(errno: error.errno)
        }
        let cause = error.errno != 0 ? Self.describe(errno: error.errno) : error.detail ?? error.code.name
        var reason = "\(operation) failed: \(cause)"
        if let message = error.extendedAck, !message.isEmpty { reason += " (kernel: \(message))" }
        reason += "; \(advice)"
        self.init(code, errno: error.errno, reason)
    }

    /// The code and the advice for a kernel errno.
    private static func classify(errno: Int32) -> (Code, String) {
        switch errno {
        case EEXIST: (.exists, "it is already there: delete it first, or replace it")
        case ENODEV: (.noSuchLink, "check the interface name with `ip link`")
        case ESRCH, ENOENT, EADDRNOTAVAIL: (.notFound, "it is not there: list first, or ignore this when deleting")
        case EPERM, EACCES: (.permission, "run as root or grant CAP_NET_ADMIN")
        default: (.kernel, "check the request against `ip` and the kernel log")
        }
    }

    /// `strerror` text plus the number, e.g. "File exists (errno 17)".
    static func describe(errno: Int32) -> String {
        let text = strerror(errno).map { String(cString: $0) } ?? "unknown error"
        return "\(text) (errno \(errno))"
    }
}
