import Logging

/// Rotates the key when it reaches `interval` of age (`--key-rotation-interval`).
///
/// The age comes from ``KeyState/createdAt`` (the key file's mtime at
/// start), so a restart neither resets the clock nor rotates at once
/// unless the key is already due.
struct RotationSchedule: Sendable {
    let rotator: KeyRotator
    let interval: Duration
    let logger: Logger
    /// How long a failed rotation waits before the next attempt.
    var retryDelay: Duration = .seconds(60)

    /// Sleeps until the key is due, rotates, and again, until cancelled.
    func run() async {
        while !Task.isCancelled {
            let age = Duration.seconds(KeyState.now() - rotator.keys.createdAt)
            if age < interval {
                // Whole seconds are the key age's resolution; sleep at least one.
                guard (try? await Task.sleep(for: max(interval - age, .seconds(1)))) != nil else { return }
                continue
            }
            do {
                _ = try await rotator.rotate(reason: "the key is \(Self.describe(age)) old and "
                    + "--key-rotation-interval is \(Self.describe(interval))")
            } catch {
                logger.warning("scheduled key rotation failed: \(error.reason); retrying in \(Self.describe(retryDelay))")
                guard (try? await Task.sleep(for: retryDelay)) != nil else { return }
            }
        }
    }

    /// "90 s", "2 h": a duration for a log line.
    static func describe(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds >= 7200 { return "\(seconds / 3600) h" }
        if seconds >= 120 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
