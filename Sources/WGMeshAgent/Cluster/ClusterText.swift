public import WGMeshCore

/// Endpoint formats the cluster view's sentences share (ages and byte
/// counts come from ``HumanUnits``, as in `wgmesh status`). Kept here, not
/// in the CLI, so the explanations read the same in the table, the JSON
/// and the graph.
public enum ClusterText {
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
