internal import CSodium

/// libsodium set-up and the two calls we make into it.
///
/// `sodium_init` picks the fastest implementations and opens the random
/// source; it must run before any other call. It is itself thread-safe, and a
/// Swift global is initialised exactly once, so every caller goes through
/// `Sodium.ready` without extra locking.
enum Sodium {
    /// True once libsodium is initialised; it only fails when the system has no
    /// usable random source, and then no key can be made safely.
    private static let initialised: Bool = sodium_init() >= 0

    /// Stops the process when libsodium cannot start, rather than make weak keys.
    static func ensureReady() {
        precondition(initialised, "libsodium failed to initialise (no random source?)")
    }

    /// Fills `buffer` with bytes from the system's cryptographic random source.
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        ensureReady()
        guard let base = buffer.baseAddress else { return }
        randombytes_buf(base, buffer.count)
    }

    /// Writes the X25519 public key for a 32-byte `secret` into `publicKey`.
    static func curve25519Base(secret: UnsafeRawBufferPointer, publicKey: UnsafeMutableRawBufferPointer) {
        ensureReady()
        precondition(secret.count == 32 && publicKey.count == 32)
        // Both buffers hold plain bytes, so viewing them as UInt8 is sound;
        // the shim header is shared and not ours to change to `void *`.
        let result = crypto_scalarmult_curve25519_base(
            publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self),
            secret.baseAddress!.assumingMemoryBound(to: UInt8.self))
        // The base point has no small-order component, so this cannot fail.
        precondition(result == 0, "crypto_scalarmult_curve25519_base failed")
    }
}
