extension SecretKey {
    /// This key as Curve25519 uses it: low three bits and the top bit cleared, bit 254 set.
    ///
    /// The kernel stores the clamped form and compares a new key against it, so
    /// the diff engine compares and sends clamped keys; otherwise an unclamped
    /// key from a file looks changed on every apply and expires every session.
    /// The all-zero key ("remove the key") is returned unchanged.
    public var clampedForCurve25519: SecretKey {
        if isZero { return self }
        return withUnsafeBytes { source in
            SecretKey { out in
                out.copyMemory(from: source)
                out[0] &= 248
                out[31] = (out[31] & 127) | 64
            }
        }
    }
}
