internal import Glibc
import Synchronization
public import WGMeshKeys

/// The node's current key and its history in this process: read by status,
/// metrics and the control socket, changed only by a rotation.
public final class KeyState: Sendable {
    private struct Value {
        var key: Curve25519.KeyAgreement.PrivateKey
        var createdAt: Int64
        var rotations = 0
        var failedRotations = 0
    }

    private let value: Mutex<Value>

    /// Starts with `key`, made at `createdAt` (seconds since the Unix epoch).
    public init(key: Curve25519.KeyAgreement.PrivateKey, createdAt: Int64) {
        value = Mutex(Value(key: key, createdAt: createdAt))
    }

    /// The private key now in use. Never log it.
    public var key: Curve25519.KeyAgreement.PrivateKey { value.withLock { $0.key } }
    /// When the current key was made, seconds since the Unix epoch.
    public var createdAt: Int64 { value.withLock { $0.createdAt } }
    /// Rotations that completed since start.
    public var rotations: Int { value.withLock { $0.rotations } }
    /// Rotations that failed (and were rolled back) since start.
    public var failedRotations: Int { value.withLock { $0.failedRotations } }

    /// Records a completed rotation to `key`.
    public func rotated(to key: Curve25519.KeyAgreement.PrivateKey, at time: Int64) {
        value.withLock {
            $0.key = key
            $0.createdAt = time
            $0.rotations += 1
        }
    }

    /// Records a rotation that failed and left the old key in place.
    public func rotationFailed() { value.withLock { $0.failedRotations += 1 } }

    /// Seconds since the Unix epoch, now.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}
