import WGMeshCore

/// Decides one peer's ``PeerState`` and its one-line reason from what the
/// plan wants and what the device reports. Pure: the clock and the
/// previous transmit count come in as arguments, so every state and edge
/// is tested without waiting.
enum PeerClassifier {
    /// A handshake older than this, while traffic is sent, is stale.
    /// WireGuard rekeys every 2 minutes under traffic, so 3 minutes without
    /// one means the peer stopped answering.
    static let staleAfterSeconds: Int64 = 180

    /// Everything one decision needs.
    struct Input {
        /// The interface, for the commands in reasons.
        var interfaceName: String
        /// The node behind the key, when the plan names one.
        var nodeName: String?
        /// The peer as planned; nil when no node wants it.
        var wanted: DesiredPeer?
        /// The peer as on the device; nil when it is not there.
        var actual: WireGuardPeer?
        /// Bytes sent at an earlier report; nil when there is none to compare with.
        var previousSent: UInt64?
        /// Now, in seconds since the Unix epoch.
        var now: Int64
    }

    /// The report for one peer wanted by the plan, on the device, or both
    /// (the builder only asks about keys it found in one of them).
    static func report(_ input: Input) -> PeerReport {
        guard let key = input.actual?.publicKey ?? input.wanted?.publicKey else {
            preconditionFailure("a peer report needs the planned peer, the device's, or both")
        }
        let endpoint = input.actual?.endpoint ?? input.wanted?.endpoint
        let (state, reason) = classify(input, endpoint: endpoint, key: key)
        return PeerReport(
            nodeName: input.nodeName, publicKey: key, endpoint: endpoint?.description,
            allowedIPs: input.actual?.allowedIPs ?? input.wanted?.allowedIPs ?? [],
            latestHandshake: input.actual?.lastHandshake?.seconds, receivedBytes: input.actual?.rxBytes ?? 0,
            sentBytes: input.actual?.txBytes ?? 0, state: state, reason: reason)
    }

    private static func classify(_ input: Input, endpoint: Endpoint?, key: WireGuardKey) -> (PeerState, String) {
        let name = input.nodeName ?? "the peer"
        guard let actual = input.actual else {
            return (.missing, "in the datastore but not on \(input.interfaceName): wgmeshd adds it again at the "
                + "next resync; if it stays missing, read wgmeshd's log (journalctl -u wgmeshd)")
        }
        guard input.wanted != nil else {
            return (.unexpected, "on \(input.interfaceName) but no node in the datastore wants it (added by hand, or "
                + "left by another tool): remove it with `wg set \(input.interfaceName) peer \(key) remove`")
        }
        let reach = endpoint.map { "check that UDP \($0.port) reaches \($0.address) (firewall, security group)" }
            ?? "it has no endpoint: check that \(name) publishes an underlay address"
        guard let handshake = actual.lastHandshake?.seconds, handshake > 0 else {
            if actual.txBytes == 0 {
                return (.idle, "no handshake yet and nothing sent to \(name): healthy until traffic flows to it")
            }
            return (.never, "no handshake although \(HumanUnits.bytes(actual.txBytes)) were sent: \(reach)")
        }
        let age = input.now - handshake
        let ago = HumanUnits.age(seconds: age)
        guard age > staleAfterSeconds else {
            return (.ok, "latest handshake \(ago) ago")
        }
        guard let previous = input.previousSent, actual.txBytes > previous else {
            return (.ok, "latest handshake \(ago) ago and nothing sent since the last check: an idle session")
        }
        return (.stale, "latest handshake \(ago) ago although \(HumanUnits.bytes(actual.txBytes - previous)) "
            + "were sent since the last check: \(reach), and that wgmeshd runs on \(name)")
    }
}
