internal import Glibc

/// The ANSI colours `wg show` uses, or empty strings when colour is off.
///
/// wg colours only when stdout is a terminal, unless `WG_COLOR_MODE` is
/// `always` or `never`; we follow the same switch so piped output is plain.
public struct WGTerminalStyle: Sendable {
    /// Whether escape sequences are emitted.
    public let isEnabled: Bool

    /// Creates a style; `isEnabled` false gives wg's piped output.
    public init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// The style for stdout, decided as wg decides it.
    public static func forStandardOutput() -> WGTerminalStyle {
        if let mode = getenv("WG_COLOR_MODE") {
            switch String(cString: mode) {
            case "always": return WGTerminalStyle(isEnabled: true)
            case "never": return WGTerminalStyle(isEnabled: false)
            default: break
            }
        }
        return WGTerminalStyle(isEnabled: isatty(STDOUT_FILENO) == 1)
    }

    private func code(_ text: String) -> String { isEnabled ? text : "" }

    var reset: String { code("\u{1B}[0m") }
    var bold: String { code("\u{1B}[1m") }
    var red: String { code("\u{1B}[31m") }
    var green: String { code("\u{1B}[32m") }
    var yellow: String { code("\u{1B}[33m") }
    var cyan: String { code("\u{1B}[36m") }
}
