/// Byte counts and ages as people read them, shared by the status reasons
/// and the `wgmesh status` table so both say the same thing.
public enum HumanUnits {
    /// `512 B`, `1.2 KiB`, `3.4 MiB`, ... (binary units, one decimal).
    public static func bytes(_ count: UInt64) -> String {
        guard count >= 1024 else { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(count) / 1024
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        // One decimal, rounded half up, without Foundation's formatters.
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[index])"
    }

    /// `12s`, `4m12s`, `2h3m`, `5d4h`: the largest two units.
    public static func age(seconds: Int64) -> String {
        let seconds = max(0, seconds)
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return pair(seconds / 60, "m", seconds % 60, "s")
        case ..<86400: return pair(seconds / 3600, "h", seconds % 3600 / 60, "m")
        default: return pair(seconds / 86400, "d", seconds % 86400 / 3600, "h")
        }
    }

    /// `4m` when the smaller unit is zero, else `4m12s`.
    private static func pair(_ large: Int64, _ largeUnit: String, _ small: Int64, _ smallUnit: String) -> String {
        small == 0 ? "\(large)\(largeUnit)" : "\(large)\(largeUnit)\(small)\(smallUnit)"
    }
}
