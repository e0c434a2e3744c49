internal import WGMeshWireGuard

extension WGConfMode {
    /// How syncconf removes allowed IPs on a real device: the kernel's remove
    /// flag where the kernel has it, else the sink peer, which works everywhere.
    static let liveRemoval: RemovalChooser = { _ in
        // Replaced by a kernel probe once WireGuardClient.backend(for:) lands.
        .sinkPeer
    }
}
