import Glibc
import WGMeshCore

/// Reads and writes kernel settings under /proc/sys, in the network
/// namespace of the calling thread.
///
/// Names are given as components (`["net", "ipv4", "conf", "eth0.100", "proxy_arp"]`)
/// because interface names may hold dots, which the dotted form cannot tell apart.
public enum Sysctl {
    /// The value, trimmed; nil when the setting does not exist or cannot be read.
    public static func read(_ components: [String]) -> String? {
        let fd = open(path(components), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let result = buffer.withUnsafeMutableBytes { raw in
            SystemErrno.retrying { Glibc.read(fd, raw.baseAddress, raw.count) }
        }
        guard case .success(let count) = result else { return nil }
        var text = String(decoding: buffer.prefix(count), as: UTF8.self)
        while let last = text.last, last == "\n" || last == " " { text.removeLast() }
        return text
    }

    /// Sets the value when it differs; returns whether it changed.
    @discardableResult
    public static func write(_ components: [String], _ value: String) throws(AgentError) -> Bool {
        let name = components.joined(separator: ".")
        if read(components) == value { return false }
        let fd = open(path(components), O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AgentError(.hostNetwork,
                             "cannot set \(name)=\(value): \(String(cString: strerror(errno))); run as root (CAP_NET_ADMIN)")
        }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        let result = bytes.withUnsafeBytes { raw in
            SystemErrno.retrying { Glibc.write(fd, raw.baseAddress, raw.count) }
        }
        guard case .success(let written) = result, written == bytes.count else {
            throw AgentError(.hostNetwork, "cannot set \(name)=\(value): \(String(cString: strerror(errno)))")
        }
        return true
    }

    static func path(_ components: [String]) -> String { "/proc/sys/" + components.joined(separator: "/") }
}
