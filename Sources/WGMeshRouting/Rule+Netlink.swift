import WGMeshCore
internal import WGMeshNetlink

// Rule requests, shaped like the ones iproute2 sends (the tests hold the bytes).
extension Rule {
    /// `ip rule add`: RTM_NEWRULE, CREATE|EXCL, with FRA_SRC, FRA_DST, FRA_FWMARK+FRA_FWMASK, FRA_TABLE
    /// (ids above 255 only), FRA_SUPPRESS_PREFIXLEN, FRA_PRIORITY and FRA_PROTOCOL, each only when set.
    func addRequest() -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.newRule, flags: NLMFlag.create | NLMFlag.exclusive)
        message.appendFixedHeader(header(action: action))
        putAttributes(into: &message)
        return message
    }

    /// `ip rule del`: RTM_DELRULE with the same selectors. The action is left
    /// open (0), as iproute2 sends it; the kernel matches every other field given.
    func deleteRequest() -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.delRule, flags: 0)
        message.appendFixedHeader(header(action: RuleAction(rawValue: 0)))
        putAttributes(into: &message)
        return message
    }

    /// RTM_GETRULE dump of one family's rules.
    static func dumpRequest(family: IPAddress.Family) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.getRule, flags: 0)
        message.appendFixedHeader(RuleHeader(family: UInt8(family.addressFamily)))
        return message
    }

    private func header(action: RuleAction) -> RuleHeader {
        RuleHeader(family: UInt8(family.addressFamily), destinationLength: destination?.prefixLength ?? 0,
                   sourceLength: source?.prefixLength ?? 0, table: table <= 255 ? UInt8(table) : 0,
                   action: action.rawValue, flags: invert ? FRA.invertFlag : 0)
    }

    private func putAttributes(into message: inout NetlinkMessageBuilder) {
        if let source { message.put(FRA.src, address: source.address) }
        if let destination { message.put(FRA.dst, address: destination.address) }
        // Both, even for a zero mark: "fwmark 0/M" (mark bits clear) is a real match.
        if fwmask != 0 {
            message.put(FRA.fwmark, u32: fwmark)
            message.put(FRA.fwmask, u32: fwmask)
        }
        if table > 255 { message.put(FRA.table, u32: table) }
        if let suppressPrefixLength { message.put(FRA.suppressPrefixLength, u32: suppressPrefixLength) }
        message.put(FRA.priority, u32: priority)
        if self.protocol != .unspecified { message.put(FRA.protocol, u8: self.protocol.rawValue) }
    }

    /// Decodes an RTM_NEWRULE reply payload (after `nlmsghdr`).
    ///
    /// The kernel reports a mark only when non-zero and a mask only when the
    /// mark or the mask is non-zero, suppress_prefixlength always (-1 when
    /// unset) and no priority for rule 0; each maps back to the value added.
    init(netlinkPayload payload: ArraySlice<UInt8>) throws(RoutingError) {
        guard let header = payload.loadHeader(RuleHeader.self) else {
            throw RoutingError(.malformed, "a rule reply of \(payload.count) bytes is shorter than fib_rule_hdr")
        }
        guard let family = IPAddress.Family(addressFamily: UInt16(header.family)) else {
            throw RoutingError(.malformed, "a rule reply has address family \(header.family)")
        }
        var table = UInt32(header.table)
        var priority: UInt32 = 0
        var fwmark: UInt32 = 0
        var fwmask: UInt32?
        var suppress: UInt32?
        var sourceBytes: ArraySlice<UInt8>?
        var destinationBytes: ArraySlice<UInt8>?
        var ruleProtocol = RouteProtocol.unspecified
        var unmodeled = header.tos != 0
        var attributes = AttributeDecoder(payload.attributes(after: RuleHeader.self))
        while attributes.next() {
            switch attributes.type {
            case FRA.table: table = attributes.u32()
            case FRA.priority: priority = attributes.u32()
            case FRA.fwmark: fwmark = attributes.u32()
            case FRA.fwmask: fwmask = attributes.u32()
            case FRA.suppressPrefixLength:
                let value = attributes.u32()
                suppress = value == FRA.unsetSuppress ? nil : value
            case FRA.src: sourceBytes = attributes.bytes()
            case FRA.dst: destinationBytes = attributes.bytes()
            case FRA.protocol: ruleProtocol = RouteProtocol(rawValue: attributes.u8())
            case FRA.l3mdev: if attributes.u8() != 0 { unmodeled = true }
            case FRA.iifname, FRA.oifname, FRA.goto, FRA.flow, FRA.tunID, FRA.suppressIfGroup, FRA.uidRange,
                 FRA.ipProto, FRA.sportRange, FRA.dportRange:
                unmodeled = true
            default: continue
            }
        }
        if let error = attributes.error { throw RoutingError(error, operation: "decode rule") }
        do {
            let source = try sourceBytes.map { bytes throws(InvalidInputError) in
                try IPNetwork(address: IPAddress(networkBytes: bytes), prefixLength: Int(header.sourceLength))
            }
            let destination = try destinationBytes.map { bytes throws(InvalidInputError) in
                try IPNetwork(address: IPAddress(networkBytes: bytes), prefixLength: Int(header.destinationLength))
            }
            self.init(family: family, priority: priority, table: table, fwmark: fwmark, fwmask: fwmask,
                      invert: header.flags & FRA.invertFlag != 0, suppressPrefixLength: suppress, source: source,
                      destination: destination, action: RuleAction(rawValue: header.action), protocol: ruleProtocol)
        } catch {
            throw RoutingError(.malformed, "the kernel sent an unusable rule at priority \(priority): \(error)")
        }
        hasUnmodeledSelectors = unmodeled
    }
}
