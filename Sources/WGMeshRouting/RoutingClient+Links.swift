import Glibc
public import WGMeshCore
internal import WGMeshNetlink

extension RoutingClient {
    /// Creates a kernel WireGuard interface (`ip link add NAME type wireguard`), left down.
    ///
    /// Throws ``RoutingError/Code/unsupportedLinkKind`` when the kernel has no
    /// WireGuard module: the cue to fall back to a userspace implementation.
    public func createWireGuardLink(named name: InterfaceName) throws(RoutingError) {
        do {
            try createLink(named: name, kind: "wireguard")
        } catch let error where error.code == .unsupportedLinkKind {
            throw RoutingError(
                .unsupportedLinkKind, errno: error.errno,
                "cannot create \(name): the kernel has no WireGuard module; load it (modprobe wireguard) "
                    + "or use the userspace backend (wireguard-go)")
        }
    }

    /// Creates a link of a kind that needs no options (`ip link add NAME type KIND`), e.g. `ifb` or
    /// `bridge`; the link starts down. Throws ``RoutingError/Code/unsupportedLinkKind`` for unknown kinds.
    public func createLink(named name: InterfaceName, kind: String) throws(RoutingError) {
        do {
            try socket.execute(Link.createRequest(name: name, kind: kind), operation: "create link \(name)")
        } catch {
            var wrapped = RoutingError(error, operation: "create \(kind) link \(name)")
            // "Unknown device type": no rtnl_link_ops for the kind, i.e. no module.
            if wrapped.code == .kernel && wrapped.errno == EOPNOTSUPP {
                wrapped.code = .unsupportedLinkKind
                wrapped.reason = "cannot create \(name): the kernel does not support links of kind '\(kind)'; "
                    + "load the module that provides it"
            } else if wrapped.code == .exists {
                wrapped.reason = "cannot create \(name): a link with that name already exists; "
                    + "delete it first or pick another name"
            }
            throw wrapped
        }
    }

    /// Deletes a link by name (`ip link del NAME`).
    public func deleteLink(named name: InterfaceName) throws(RoutingError) {
        let index = try link(named: name).index
        try execute(Link.deleteRequest(index: index), "delete link \(name)")
    }

    /// Changes a link's MTU and/or administrative state (`ip link set NAME mtu M up|down`); nil leaves it.
    public func setLink(named name: InterfaceName, mtu: UInt32? = nil, up: Bool? = nil) throws(RoutingError) {
        let index = try link(named: name).index
        guard mtu != nil || up != nil else { return }
        try execute(Link.setRequest(index: index, mtu: mtu, up: up), "set link \(name)")
    }

    /// Every link in this network namespace, in index order.
    public func links() throws(RoutingError) -> [Link] {
        var links: [Link] = []
        for reply in try dump(Link.dumpRequest(), keeping: RTM.newLink, "list links") {
            links.append(try Link(netlinkPayload: reply.payload[...]))
        }
        return links.sorted { $0.index < $1.index }
    }

    /// The link called `name`; throws ``RoutingError/Code/noSuchLink`` when there is none.
    public func link(named name: InterfaceName) throws(RoutingError) -> Link {
        let operation = "look up link \(name)"
        let replies: [NetlinkReply]
        do {
            replies = try socket.query(Link.getRequest(name: name), operation: operation)
        } catch {
            var wrapped = RoutingError(error, operation: operation)
            if wrapped.code == .noSuchLink {
                wrapped.reason = "there is no link named \(name) in this network namespace; check `ip link`"
            }
            throw wrapped
        }
        guard let reply = replies.first(where: { $0.type == RTM.newLink }) else {
            throw RoutingError(.malformed, "\(operation): the kernel acknowledged but sent no link")
        }
        return try Link(netlinkPayload: reply.payload[...])
    }
}
