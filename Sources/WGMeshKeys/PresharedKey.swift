public import WGMeshCore

/// WireGuard preshared keys: 32 random bytes, mixed into the handshake.
public enum PresharedKey {
    /// Generates a new preshared key. Unlike a private key it is not clamped:
    /// it is a symmetric secret, not a curve scalar (wg genpsk does the same).
    public static func generate() -> SecretKey {
        SecretKey { Sodium.fillRandom($0) }
    }
}
