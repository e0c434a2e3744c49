extension ConfigParsers {
    /// The longest scheduled rotation: a year, far past any sane policy,
    /// and small enough that a typo of extra digits is caught.
    static let maxRotationSeconds: UInt64 = 366 * 86400

    /// A key rotation interval: whole seconds, or a whole number with `s`,
    /// `m`, `h` or `d`; `0` turns scheduled rotation off (returned as zero).
    /// Anything else from zero to one minute is refused: every rotation
    /// costs each peer a handshake.
    static func rotationInterval(_ value: ConfigValue, _ problems: inout ConfigProblems) -> Duration? {
        let fix = "give 0 (off) or an interval from 1m to 366d, such as 3600, 12h or 30d"
        guard let text = self.text(value, &problems) else { return nil }
        let units: [Character: UInt64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text)
        var scale: UInt64 = 1
        if let last = text.last, let unit = units[last] {
            digits = text.dropLast()
            scale = unit
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let number = UInt64(digits), number <= maxRotationSeconds
        else {
            problems.add(value.source, "'\(text)' is not a rotation interval; \(fix)")
            return nil
        }
        let seconds = number * scale
        if seconds == 0 { return .zero }
        guard seconds >= 60, seconds <= maxRotationSeconds else {
            problems.add(value.source, "\(text) is out of range; \(fix)")
            return nil
        }
        return .seconds(seconds)
    }
}
