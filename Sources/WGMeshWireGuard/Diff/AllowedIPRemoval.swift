/// How the diff engine takes away an allowed IP that no desired peer keeps.
///
/// Moving an IP to another peer never needs any of these: adding it to the new
/// peer moves it atomically. These only matter for IPs that leave the device.
public enum AllowedIPRemoval: Sendable, Hashable, CaseIterable {
    /// Remove each IP with `WGALLOWEDIP_F_REMOVE_ME` (kernel 6.16+ only; Debian's
    /// wireguard-go refuses it). The peer's other IPs are never touched.
    case removeFlag
    /// Move the IPs onto a throwaway peer with a random key, then remove that
    /// peer in the same change. Works everywhere; the peer's other IPs are never
    /// touched. This is what Cilium adopted after REPLACE_ALLOWEDIPS dropped packets.
    case sinkPeer
    /// Send the peer's whole list with REPLACE_ALLOWEDIPS. Last resort: between
    /// the replace and the re-adds, the IPs the peer keeps have no peer at all.
    case replace
}
