public import WGMeshCore

/// One policy routing rule (`ip rule`), with every field compared one by one.
///
/// Marks follow the kernel's model exactly, so a rule read back equals the rule
/// that was added: `fwmask == 0` means "no mark match", a zero mark with a
/// non-zero mask is a real match ("mark bits clear"), and an unset
/// suppress_prefixlength is nil, never -1 (Calico re-added its rule every 90 s
/// because a library turned these into different values).
public struct Rule: Hashable, Sendable, CustomStringConvertible {
    /// IPv4 or IPv6; rules live in one family.
    public var family: IPAddress.Family
    /// The preference; lower runs first. Rule 0 (`lookup local`) reads back as 0.
    public var priority: UInt32
    /// The table to look up when ``action`` is ``RuleAction/lookup``.
    public var table: UInt32
    /// The firewall mark to match, after masking with ``fwmask``.
    public var fwmark: UInt32
    /// The mask applied to the packet's mark; 0 means the rule does not match on marks.
    public var fwmask: UInt32
    /// Whether the match is inverted (`not`).
    public var invert: Bool
    /// Routes with a prefix this long or shorter are ignored (`suppress_prefixlength`); nil when unset.
    public var suppressPrefixLength: UInt32?
    /// The source selector (`from`); nil for all.
    public var source: IPNetwork?
    /// The destination selector (`to`); nil for all.
    public var destination: IPNetwork?
    /// What happens on a match.
    public var action: RuleAction
    /// Who owns the rule (`FRA_PROTOCOL`); not sent when `.unspecified`.
    public var `protocol`: RouteProtocol
    /// Whether the kernel reported selectors this type does not model (iif, oif, tos, uid range, ports, ...).
    ///
    /// Such a rule never equals one we would add, so a reconciler leaves it alone.
    public internal(set) var hasUnmodeledSelectors: Bool = false

    /// Creates a rule. A non-zero `fwmark` without a mask matches all 32 bits, as the kernel does.
    public init(
        family: IPAddress.Family, priority: UInt32, table: UInt32, fwmark: UInt32 = 0, fwmask: UInt32? = nil,
        invert: Bool = false, suppressPrefixLength: UInt32? = nil, source: IPNetwork? = nil,
        destination: IPNetwork? = nil, action: RuleAction = .lookup, protocol: RouteProtocol = .unspecified
    ) {
        self.family = family
        self.priority = priority
        self.table = table
        self.fwmark = fwmark
        self.fwmask = fwmask ?? (fwmark != 0 ? 0xFFFF_FFFF : 0)
        self.invert = invert
        self.suppressPrefixLength = suppressPrefixLength
        self.source = source?.masked
        self.destination = destination?.masked
        self.action = action
        self.protocol = `protocol`
    }

    public var description: String {
        var text = "\(priority): \(invert ? "not " : "")from \(source.map { "\($0)" } ?? "all")"
        if let destination { text += " to \(destination)" }
        if fwmask != 0 { text += " fwmark 0x\(String(fwmark, radix: 16))/0x\(String(fwmask, radix: 16))" }
        text += action == .lookup ? " lookup \(table)" : " \(action)"
        if let suppressPrefixLength { text += " suppress_prefixlength \(suppressPrefixLength)" }
        if hasUnmodeledSelectors { text += " (+ other selectors)" }
        return text
    }
}
