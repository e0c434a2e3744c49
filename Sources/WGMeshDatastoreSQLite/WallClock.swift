import Glibc

/// Milliseconds since the epoch on CLOCK_REALTIME: lease expiry is wall-clock
/// time so that every process sharing the file agrees on it.
enum WallClock {
    /// The current time in milliseconds.
    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
