extension WireGuardKey {
    /// Curve25519's low-order points, as public keys: the points whose Diffie-Hellman result is
    /// all zeros whatever the private key, so no handshake with them ever completes.
    ///
    /// The kernel and wireguard-go still accept them as peer keys (and so does wg(8), so the
    /// wg-compatible commands pass them on); a Node record is refused for publishing one.
    public static let lowOrderPoints: [WireGuardKey] = [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // 0
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // 1
        "4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=", // order 8
        "X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=", // order 8
        "7P///////////////////////////////////////38=", // p - 1
        "7f///////////////////////////////////////38=", // p
        "7v///////////////////////////////////////38=", // p + 1
    ].map { try! WireGuardKey(base64: $0) }

    /// Whether this key is one of ``lowOrderPoints``.
    public var isLowOrderPoint: Bool { Self.lowOrderPoints.contains(self) }
}
