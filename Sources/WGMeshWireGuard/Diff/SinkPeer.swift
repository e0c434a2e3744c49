import WGMeshCore

/// The throwaway peer that takes allowed IPs away without a window.
///
/// Adding IPs to it moves them off their peers one by one, and removing it in
/// the same change drops them; the peers' other IPs are never touched.
enum SinkPeer {
    /// A fresh random public key for which `isTaken` is false.
    ///
    /// Nobody holds the private key: the peer never completes a handshake, and
    /// it exists only between two peer operations of one change. The bytes come
    /// from `SystemRandomNumberGenerator`, which is getrandom(2) on Linux; Glibc's
    /// Swift module does not export `getrandom` itself (sys/random.h is not in it).
    static func randomKey(avoiding isTaken: (WireGuardKey) -> Bool) -> WireGuardKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            let words = (generator.next() as UInt64, generator.next() as UInt64,
                         generator.next() as UInt64, generator.next() as UInt64)
            let key = withUnsafeBytes(of: words) { WireGuardKey(unsafeBytes: $0) }
            if !key.isZero, !isTaken(key) { return key }
        }
    }
}
