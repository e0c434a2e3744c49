import Logging
import WGMeshCore
import WGMeshResources
import WGMeshWireGuard

/// Checks one value each. A parser returns nil after recording a problem
/// that names the value's source and the fix, so the loader can go on and
/// report every problem at once.
enum ConfigParsers {
    /// The value as one string; a list or a map where text belongs is a problem.
    static func text(_ value: ConfigValue, _ problems: inout ConfigProblems) -> String? {
        if case .text(let text) = value.raw { return text }
        problems.add(value.source, "expected a single value; give it once")
        return nil
    }

    /// The value as a list of strings.
    static func list(_ value: ConfigValue) -> [String] {
        switch value.raw {
        case .text(let text): ConfigLayers.splitList(text)
        case .list(let items): items
        case .pairs(let pairs): pairs.map { "\($0.key)=\($0.value)" }
        }
    }

    /// A decimal whole number in `range`; `what` says what the number is ("a port").
    static func integer(_ value: ConfigValue, in range: ClosedRange<UInt64>, what: String,
                        _ problems: inout ConfigProblems) -> UInt64?
    {
        guard let text = text(value, &problems) else { return nil }
        let fix = "give \(what) from \(range.lowerBound) to \(range.upperBound)"
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let number = UInt64(text)
        else {
            problems.add(value.source, "'\(text)' is not a whole number; \(fix)")
            return nil
        }
        guard range.contains(number) else {
            problems.add(value.source, "\(number) is out of range; \(fix)")
            return nil
        }
        return number
    }

    /// A valid resource name (a lower-case DNS-1123 subdomain).
    static func nodeName(_ value: ConfigValue, _ problems: inout ConfigProblems) -> String? {
        guard let text = text(value, &problems) else { return nil }
        if let problem = NameRules.subdomainProblem(text) {
            problems.add(value.source, "'\(text)' is not a valid node name: \(problem)")
            return nil
        }
        return text
    }

    /// An absolute path without NUL bytes, at most `limit` bytes long.
    static func absolutePath(_ value: ConfigValue, limit: Int? = nil, what: String,
                             _ problems: inout ConfigProblems) -> String?
    {
        guard let text = text(value, &problems) else { return nil }
        guard text.hasPrefix("/"), !text.utf8.contains(0) else {
            problems.add(value.source, "'\(text)' is not an absolute path; give \(what) starting with '/'")
            return nil
        }
        if let limit, text.utf8.count > limit {
            problems.add(value.source, "'\(text)' is \(text.utf8.count) bytes; a unix socket path holds at most "
                         + "\(limit), so pick a shorter \(what)")
            return nil
        }
        return text
    }

    /// The WireGuard backend's name.
    static func backend(_ value: ConfigValue, _ problems: inout ConfigProblems) -> BackendPreference? {
        guard let text = text(value, &problems) else { return nil }
        if let backend = BackendPreference(rawValue: text.lowercased()) { return backend }
        problems.add(value.source, "'\(text)' is not a backend; give one of "
                     + BackendPreference.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }

    /// A fwmark: decimal or `0x` hex, exactly one bit set, because the rule
    /// matches the mark under a one-bit mask and other bits belong to others.
    static func fwmark(_ value: ConfigValue, _ problems: inout ConfigProblems) -> UInt32? {
        guard let text = text(value, &problems) else { return nil }
        let lower = text.lowercased()
        let number: UInt32? = lower.hasPrefix("0x")
            ? (lower.count > 2 ? UInt32(lower.dropFirst(2), radix: 16) : nil)
            : (lower.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ? UInt32(lower) : nil)
        guard let number else {
            problems.add(value.source, "'\(text)' is not a 32-bit number; give decimal or 0x hex, e.g. 0x100000")
            return nil
        }
        guard number != 0, number & (number - 1) == 0 else {
            problems.add(value.source, "'\(text)' must have exactly one bit set, so the other bits stay free "
                         + "for other users of the mark; give a power of two, e.g. 0x100000")
            return nil
        }
        return number
    }

    /// A routing table id other than the kernel's named ones.
    static func routingTable(_ value: ConfigValue, _ problems: inout ConfigProblems) -> UInt32? {
        guard let number = integer(value, in: 1...0xFFFF_FFFF, what: "a table id", &problems) else { return nil }
        guard !(253...255).contains(number) else {
            problems.add(value.source, "table \(number) is one of the kernel's own (253 default, 254 main, "
                         + "255 local); pick another, e.g. \(AgentConfig.defaultRoutingTable)")
            return nil
        }
        return UInt32(number)
    }

    /// A log level's name.
    static func logLevel(_ value: ConfigValue, _ problems: inout ConfigProblems) -> Logger.Level? {
        guard let text = text(value, &problems) else { return nil }
        if let level = Logger.Level(rawValue: text.lowercased()) { return level }
        problems.add(value.source, "'\(text)' is not a log level; give one of "
                     + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }
}
