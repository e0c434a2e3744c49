public import WGMeshCore

/// The small formats the cluster view's sentences share: ages, byte
/// counts, endpoints. Kept here (not in the CLI) so the pure model's
/// explanations read the same in the table, the JSON and the graph.
public enum ClusterText {
    /// "42s", "5m", "3h", "2d": the largest whole unit, as people say it.
    public static func age(_ seconds: Int64) -> String {
        let seconds = max(seconds, 0)
        switch seconds {
        case ..<120: return "\(seconds)s"
        case ..<(120 * 60): return "\(seconds / 60)m"
        case ..<(48 * 3600): return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }

    /// "512 B", "1.2 KiB", "3.4 MiB", "1.0 GiB": one decimal is enough to
    /// say whether anything was sent.
    public static func bytes(_ count: UInt64) -> String {
        guard count >= 1024 else { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        // Rounded to tenths by hand: String(format:) needs Foundation.
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// `address:port`, with an IPv6 address in brackets.
    public static func endpoint(_ address: IPAddress, port: UInt16) -> String {
        address.family == .v6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// The host part of `address:port` or `[v6]:port`; the text itself when it has no port.
    public static func host(ofEndpoint endpoint: String) -> String {
        if endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") {
            return String(endpoint[endpoint.index(after: endpoint.startIndex)..<close])
        }
        let colons = endpoint.filter { $0 == ":" }.count
        guard colons == 1, let colon = endpoint.lastIndex(of: ":") else { return endpoint }
        return String(endpoint[..<colon])
    }
}
