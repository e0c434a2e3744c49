import WGMeshCore
import WGMeshRouting
import WGMeshWireGuard

extension LinuxDataplane {
    public func prepareInterface() throws -> PreparedInterface {
        try state.withLock { state throws -> PreparedInterface in
            // A new or adopted interface may differ from anything cached.
            state.dropCaches()
            let name = settings.interfaceName
            let routing = try step("opening rtnetlink") { try RoutingClient() }
            let existing = try step("looking up \(name)") { try routing.linkIfPresent(named: name) }
            let kind: WireGuardBackendKind
            let created: Bool
            if let existing {
                kind = try adoptableKind(of: existing)
                created = false
                logger.info("adopting the existing interface as it is", metadata: ["backend": "\(kind)"])
            } else {
                kind = try step("creating \(name)") {
                    // wireguard-go runs as its own process, so it outlives wgmeshd like a kernel link does.
                    try wireGuard.createInterface(name, allowUserspace: settings.backend != .kernel)
                }
                created = true
                logger.info("created the interface", metadata: ["backend": "\(kind)"])
            }
            try enableForwarding()
            let device = try step("reading \(name)") { try wireGuard.device(named: name.rawValue) }
            return PreparedInterface(kind: kind, created: created, device: device)
        }
    }

    /// Which implementation backs `link`, or an error when it is not a
    /// WireGuard interface this dataplane may use.
    private func adoptableKind(of link: Link) throws -> WireGuardBackendKind {
        let name = settings.interfaceName
        if link.kind == "wireguard" {
            guard settings.backend != .userspace else {
                throw AgentError(.hostNetwork,
                                 "\(name) is a kernel WireGuard interface but the userspace backend was asked for: pass --wireguard-backend auto or kernel, or delete it (ip link del \(name))")
            }
            return .kernel
        }
        let userspace = (try? wireGuard.userspace.deviceNames().contains(name.rawValue)) ?? false
        if userspace {
            guard settings.backend != .kernel else {
                throw AgentError(.hostNetwork,
                                 "\(name) is a wireguard-go interface but the kernel backend was asked for: pass --wireguard-backend auto or userspace, or delete it (ip link del \(name))")
            }
            return .userspace
        }
        throw AgentError(.hostNetwork,
                         "\(name) exists but is not a WireGuard interface (kind \(link.kind ?? "none")): pass another name with --interface, or delete it (ip link del \(name))")
    }

    /// Routers forward: pod traffic arrives on the WireGuard interface and
    /// leaves on a pod's veth, and the other way round.
    private func enableForwarding() throws {
        if try Sysctl.write(["net", "ipv4", "ip_forward"], "1") {
            logger.notice("turned on IPv4 forwarding (net.ipv4.ip_forward=1)")
        }
        let v6 = ["net", "ipv6", "conf", "all", "forwarding"]
        // A kernel booted with ipv6.disable=1 has no such setting: nothing to forward then.
        guard Sysctl.read(v6) != nil else { return }
        if try Sysctl.write(v6, "1") {
            logger.notice("turned on IPv6 forwarding (net.ipv6.conf.all.forwarding=1)")
        }
    }
}
