public import WGMeshCore

/// Why a node's row is `down`, or that it is not.
public enum ReportingState: String, Sendable, CaseIterable {
    /// A liveness key and a status newer than the report window.
    case reporting
    /// Neither a liveness key nor a status: the daemon never ran or was removed.
    case absent
    /// A status but no liveness key: the daemon stopped (or lost the datastore) for longer than its TTL.
    case noLiveness = "no-liveness"
    /// A liveness key but no status yet: starting, or a daemon without status publishing.
    case noStatus = "no-status"
    /// A liveness key but a status older than the report window: the publisher is stuck.
    case oldStatus = "old-status"

    /// Whether the node's view can be believed.
    public var isReporting: Bool { self == .reporting }
}

/// A node as the cluster view shows it: its identity and whether it reports.
public struct ClusterNode: Sendable, Equatable {
    /// The node's name.
    public var name: String
    /// Its WireGuard public key; nil until its daemon first started.
    public var publicKey: WireGuardKey?
    /// The addresses inside the tunnel (the interface's IPv4 and IPv6).
    public var tunnelAddresses: [IPAddress]
    /// The underlay addresses peers send to.
    public var underlayAddresses: [IPAddress]
    /// The WireGuard UDP port.
    public var listenPort: UInt16
    /// Whether its view can be believed, and why not.
    public var reporting: ReportingState
    /// Seconds since its status was written; nil without a status.
    public var statusAge: Int64?

    /// `address:port` peers send to (IPv6 in brackets); nil without an address.
    public var endpoint: String? {
        underlayAddresses.first.map { ClusterText.endpoint($0, port: listenPort) }
    }

    /// Creates a node entry.
    public init(name: String, publicKey: WireGuardKey?, tunnelAddresses: [IPAddress], underlayAddresses: [IPAddress],
                listenPort: UInt16, reporting: ReportingState, statusAge: Int64?)
    {
        self.name = name
        self.publicKey = publicKey
        self.tunnelAddresses = tunnelAddresses
        self.underlayAddresses = underlayAddresses
        self.listenPort = listenPort
        self.reporting = reporting
        self.statusAge = statusAge
    }
}
