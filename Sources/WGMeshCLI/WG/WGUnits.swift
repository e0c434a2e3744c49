internal import Glibc
internal import WGMeshCore

/// The human units of `wg show`: durations and byte counts, spelled as wg
/// spells them so the text matches byte for byte.
enum WGUnits {
    /// "1 hour, 5 seconds": years (365 days), days, hours, minutes, seconds,
    /// skipping zero parts; empty for 0.
    static func duration(_ total: UInt64, style: WGTerminalStyle) -> String {
        let parts: [(UInt64, String)] = [
            (total / 31_536_000, "year"), (total % 31_536_000 / 86_400, "day"), (total % 86_400 / 3_600, "hour"),
            (total % 3_600 / 60, "minute"), (total % 60, "second"),
        ]
        return parts.filter { $0.0 != 0 }
            .map { "\($0.0) \(style.cyan)\($0.1)\($0.0 == 1 ? "" : "s")\(style.reset)" }
            .joined(separator: ", ")
    }

    /// How long ago a handshake was, relative to `now` (whole seconds).
    static func ago(_ time: Timestamp, now: Int64, style: WGTerminalStyle) -> String {
        if now == time.seconds { return "Now" }
        if now < time.seconds {
            return "(\(style.red)System clock wound backward; connection problems may ensue.\(style.reset))"
        }
        return duration(UInt64(now - time.seconds), style: style) + " ago"
    }

    /// "1.81 MiB": bytes below 1 KiB as an integer, else two decimals of the
    /// largest binary unit up to TiB.
    static func bytes(_ count: UInt64, style: WGTerminalStyle) -> String {
        let value = Double(count)
        let (number, unit): (String, String) =
            switch count {
            case ..<1024: ("\(count)", "B")
            case ..<(1 << 20): (decimal(value / 1024), "KiB")
            case ..<(1 << 30): (decimal(value / 1_048_576), "MiB")
            case ..<(1 << 40): (decimal(value / 1_073_741_824), "GiB")
            default: (decimal(value / 1_073_741_824 / 1024), "TiB")
            }
        return "\(number) \(style.cyan)\(unit)\(style.reset)"
    }

    /// `%.2f` through the C library, so rounding is exactly printf's.
    static func decimal(_ value: Double) -> String { formatDouble(value, decimals: 2) }
}

/// `%.Nf` of `value` through vsnprintf, for output that must match C's printf.
func formatDouble(_ value: Double, decimals: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { arguments in vsnprintf(&buffer, buffer.count, "%.\(decimals)f", arguments) }
    return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
