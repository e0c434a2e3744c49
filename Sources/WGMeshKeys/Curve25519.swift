public import WGMeshCore

/// Curve25519 keys, named the way swift-crypto names them.
public enum Curve25519 {
    /// X25519 Diffie-Hellman keys, the kind WireGuard uses for identities.
    public enum KeyAgreement {
        /// A WireGuard private key and the public key derived from it.
        ///
        /// The secret is always clamped (RFC 7748 section 5), as the kernel
        /// stores it. A key from outside that is not clamped is accepted and
        /// clamped first, as `wg pubkey` does, so both tools agree on the public
        /// key. Printing one shows no secret: ``SecretKey`` is redacted.
        public struct PrivateKey: Sendable, CustomStringConvertible {
            /// The clamped 32-byte secret. Write it only to key files or devices.
            public let secret: SecretKey
            /// The public key to hand to peers.
            public let publicKey: WireGuardKey

            /// Generates a new key from the system's cryptographic random source.
            public init() {
                // Random bytes go straight into the secret's own storage, so the
                // secret never sits in a temporary array.
                self.init(clamped: SecretKey { bytes in
                    Sodium.fillRandom(bytes)
                    Self.clamp(bytes)
                })
            }

            /// Uses `secret` as the private key, clamping it first if needed.
            public init(secret: SecretKey) {
                self.init(clamped: secret.withUnsafeBytes { original in
                    SecretKey { bytes in
                        bytes.copyMemory(from: original)
                        Self.clamp(bytes)
                    }
                })
            }

            /// Uses 32 raw bytes as the private key, clamping them first if needed.
            public init(rawRepresentation bytes: some Collection<UInt8>) throws(KeyError) {
                do {
                    self.init(secret: try SecretKey(rawBytes: bytes))
                } catch {
                    throw KeyError(.malformed, "a private key is 32 bytes, got \(bytes.count)")
                }
            }

            /// Parses a private key in wg's 44-character base64 form.
            public init(base64 text: some StringProtocol) throws(KeyError) {
                do {
                    self.init(secret: try SecretKey(base64: text))
                } catch {
                    throw KeyError(.malformed, error.reason)
                }
            }

            private init(clamped secret: SecretKey) {
                self.secret = secret
                var derived = WireGuardKey.zero
                secret.withUnsafeBytes { secretBytes in
                    var out: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                    withUnsafeMutableBytes(of: &out) { publicBytes in
                        Sodium.curve25519Base(secret: secretBytes, publicKey: publicBytes)
                        derived = WireGuardKey(unsafeBytes: UnsafeRawBufferPointer(publicBytes))
                    }
                }
                self.publicKey = derived
            }

            /// Clears the low 3 bits (a multiple of the cofactor 8) and sets bit 254,
            /// so every key has the same bit length (RFC 7748 section 5).
            static func clamp(_ bytes: UnsafeMutableRawBufferPointer) {
                bytes[0] &= 248
                bytes[31] = (bytes[31] & 127) | 64
            }

            /// Shows the public key only.
            public var description: String { "PrivateKey(public: \(publicKey))" }
        }
    }
}
