import WGMeshCore
internal import WGMeshNetlink

// Route requests, shaped like the ones iproute2 sends (the tests hold the bytes).
extension Route {
    /// `ip route add|replace`: RTM_NEWROUTE with RTA_DST, RTA_TABLE (ids above 255 only), RTA_GATEWAY,
    /// RTA_OIF and RTA_PRIORITY, in iproute2's order. Add is CREATE|EXCL; replace is CREATE|REPLACE.
    func newRequest(replace: Bool) -> NetlinkMessageBuilder {
        let flags = NLMFlag.create | (replace ? NLMFlag.replace : NLMFlag.exclusive)
        var message = NetlinkMessageBuilder(type: RTM.newRoute, flags: flags)
        message.appendFixedHeader(header(scope: scope, type: type))
        putAttributes(into: &message)
        return message
    }

    /// `ip route del TYPE ...`: RTM_DELROUTE naming the route by the same fields.
    ///
    /// The scope is left open (NOWHERE for IPv4, as iproute2 sends; IPv6 has
    /// no scopes) so a route whose scope the kernel chose still matches. The
    /// protocol is kept, so we never delete a route another daemon owns.
    func deleteRequest() -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.delRoute, flags: 0)
        message.appendFixedHeader(header(scope: family == .v4 ? .nowhere : .universe, type: type))
        putAttributes(into: &message)
        return message
    }

    /// RTM_GETROUTE dump of one family (or both with nil); the kernel ignores table filters unless the
    /// socket asked for strict checking, so callers filter.
    static func dumpRequest(family: IPAddress.Family?) -> NetlinkMessageBuilder {
        var message = NetlinkMessageBuilder(type: RTM.getRoute, flags: 0)
        message.appendFixedHeader(RouteHeader(family: family.map { UInt8($0.addressFamily) } ?? 0))
        return message
    }

    private func header(scope: RouteScope, type: RouteType) -> RouteHeader {
        RouteHeader(family: UInt8(family.addressFamily), destinationLength: destination.prefixLength,
                    table: table <= 255 ? UInt8(table) : RTA.tableUnspec, protocol: self.protocol.rawValue,
                    scope: scope.rawValue, type: type.rawValue)
    }

    private func putAttributes(into message: inout NetlinkMessageBuilder) {
        // A default route (/0) has no RTA_DST, as with `ip route add default`.
        if destination.prefixLength > 0 {
            message.put(RTA.dst, address: destination.address)
        }
        if table > 255 { message.put(RTA.table, u32: table) }
        if let metric { message.put(RTA.priority, u32: metric) }
        if let gateway { message.put(RTA.gateway, address: gateway) }
        if let outputInterface { message.put(RTA.oif, u32: outputInterface) }
    }

    /// Whether an RTM_NEWROUTE payload is a configured IPv4 or IPv6 route.
    ///
    /// An AF_UNSPEC dump also returns multicast-forwarding (RTNL_FAMILY_IPMR
    /// 128, IP6MR 129) and MPLS entries, and route cache clones: none of them
    /// is a route we could have added, so listings skip them instead of failing.
    static func isConfiguredIPRoute(netlinkPayload payload: ArraySlice<UInt8>) -> Bool {
        guard let header = payload.loadHeader(RouteHeader.self) else { return true }  // let the decoder complain
        let isIP = header.family == UInt8(IPAddress.Family.v4.addressFamily)
            || header.family == UInt8(IPAddress.Family.v6.addressFamily)
        return isIP && header.flags & RTA.clonedFlag == 0
    }

    /// Decodes an RTM_NEWROUTE reply payload (after `nlmsghdr`).
    ///
    /// The table comes from RTA_TABLE when present (the header then says 252,
    /// RT_TABLE_COMPAT). The output interface is dropped for routes that do
    /// not forward: the kernel pins IPv6 throw and reject routes to `lo`,
    /// which would otherwise make them differ from what was added.
    init(netlinkPayload payload: ArraySlice<UInt8>) throws(RoutingError) {
        guard let header = payload.loadHeader(RouteHeader.self) else {
            throw RoutingError(.malformed, "a route reply of \(payload.count) bytes is shorter than rtmsg")
        }
        guard let family = IPAddress.Family(addressFamily: UInt16(header.family)) else {
            throw RoutingError(.malformed, "a route reply has address family \(header.family)")
        }
        var destinationBytes: ArraySlice<UInt8>?
        var gatewayBytes: ArraySlice<UInt8>?
        var table = UInt32(header.table)
        var outputInterface: UInt32?
        var metric: UInt32?
        var attributes = AttributeDecoder(payload.attributes(after: RouteHeader.self))
        while attributes.next() {
            switch attributes.type {
            case RTA.dst: destinationBytes = attributes.bytes()
            case RTA.gateway: gatewayBytes = attributes.bytes()
            case RTA.table: table = attributes.u32()
            case RTA.oif: outputInterface = attributes.u32()
            case RTA.priority: metric = attributes.u32()
            default: continue
            }
        }
        if let error = attributes.error { throw RoutingError(error, operation: "decode route") }
        let type = RouteType(rawValue: header.type)
        do {
            let address = try destinationBytes.map { bytes throws(InvalidInputError) in try IPAddress(networkBytes: bytes) }
                ?? IPAddress(networkBytes: [UInt8](repeating: 0, count: family.byteCount))
            self.init(
                destination: try IPNetwork(address: address, prefixLength: Int(header.destinationLength)),
                table: table, type: type, outputInterface: type == .unicast ? outputInterface : nil,
                gateway: try gatewayBytes.map { bytes throws(InvalidInputError) in try IPAddress(networkBytes: bytes) },
                protocol: RouteProtocol(rawValue: header.protocol), scope: RouteScope(rawValue: header.scope),
                metric: metric)
        } catch {
            throw RoutingError(.malformed, "the kernel sent an unusable route in table \(table): \(error)")
        }
    }
}
