/// What a policy rule does when it matches (`fib_rule_hdr.action`).
public struct RuleAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte the kernel stores.
    public var rawValue: UInt8
    /// Creates an action value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `FR_ACT_TO_TBL`: look the packet up in the rule's table.
    public static let lookup = RuleAction(rawValue: 1)
    /// `FR_ACT_GOTO`: jump to another rule.
    public static let goto = RuleAction(rawValue: 2)
    /// `FR_ACT_NOP`.
    public static let nop = RuleAction(rawValue: 3)
    /// `FR_ACT_BLACKHOLE`.
    public static let blackhole = RuleAction(rawValue: 6)
    /// `FR_ACT_UNREACHABLE`.
    public static let unreachable = RuleAction(rawValue: 7)
    /// `FR_ACT_PROHIBIT`.
    public static let prohibit = RuleAction(rawValue: 8)

    public var description: String {
        switch self {
        case .lookup: "lookup"
        case .goto: "goto"
        case .nop: "nop"
        case .blackhole: "blackhole"
        case .unreachable: "unreachable"
        case .prohibit: "prohibit"
        default: "action \(rawValue)"
        }
    }
}
