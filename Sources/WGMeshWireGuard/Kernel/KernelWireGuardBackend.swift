public import WGMeshCore
public import WGMeshNetlink
import Synchronization
import WGMeshRouting
import Glibc

/// The Linux kernel's WireGuard, driven over generic netlink.
///
/// Holds one generic netlink socket (and, for ``deviceNames()``, one route
/// socket) behind a mutex, so one backend can be shared between threads;
/// calls block, so run them off the cooperative pool.
public final class KernelWireGuardBackend: WireGuardBackend {
    /// The SET_DEVICE message size we fragment to.
    ///
    /// wg uses a page (4 KiB). Measured in the VM (KernelMessageSizeBenchmark:
    /// 2,000 peers x 4 IPs updated, best of 5): 4 KiB 96 messages 0.683 s,
    /// 8 KiB 0.686 s, 16 KiB 0.676 s, 32 KiB 12 messages 0.684 s, 60,000 B
    /// 0.715 s. The kernel's per-peer work dominates, so the size barely
    /// matters there; 32 KiB sends 8x fewer messages (syscalls and ACK round
    /// trips) than wg with no measured cost, and stays well under the 64 KiB a
    /// 16-bit nest length allows.
    public static let defaultMessageSizeLimit = 32 * 1024

    // Unchecked: the socket and the routing client are only touched inside
    // `state.withLock`, which serialises every request and reply on them.
    private struct State: @unchecked Sendable {
        let socket: NetlinkSocket
        var routing: RoutingClient?
    }

    private let state: Mutex<State>
    /// The `wireguard` family's id, used as `nlmsg_type`.
    public let familyID: UInt16
    /// The largest SET_DEVICE message this backend sends.
    public let messageSizeLimit: Int
    /// Whether this kernel accepts WGALLOWEDIP_A_FLAGS (removing one allowed IP); probed once, cached.
    public let supportsAllowedIPRemoval: Bool

    public var kind: WireGuardBackendKind { .kernel }

    /// nil when the kernel has no `wireguard` genetlink family (module absent); throws on other failures.
    public static func open() throws -> KernelWireGuardBackend? {
        let socket: NetlinkSocket
        let id: UInt16?
        do {
            socket = try NetlinkSocket(.generic)
            id = try GenericNetlinkFamily.resolve(name: WireGuardNetlink.familyName, on: socket)
        } catch {
            throw WireGuardError(
                .system, errno: error.errno,
                "Unable to talk to the kernel over generic netlink: \(error.description)")
        }
        guard let id else { return nil }
        return KernelWireGuardBackend(socket: socket, familyID: id)
    }

    /// Uses an open socket and a resolved family id; tests pass a socket over a fake transport.
    public init(
        socket: NetlinkSocket, familyID: UInt16, messageSizeLimit: Int = defaultMessageSizeLimit,
        supportsAllowedIPRemoval: Bool? = nil
    ) {
        precondition(messageSizeLimit >= 1024 && messageSizeLimit < 65536,
                     "messageSizeLimit must be 1 KiB to 64 KiB (nest lengths are 16 bits)")
        state = Mutex(State(socket: socket, routing: nil))
        self.familyID = familyID
        self.messageSizeLimit = messageSizeLimit
        self.supportsAllowedIPRemoval = supportsAllowedIPRemoval ?? Self.kernelHasAllowedIPRemoval()
    }

    /// Linux 6.16 added `WGALLOWEDIP_A_FLAGS`; older kernels reject the
    /// attribute with EINVAL. A version check costs nothing and needs no
    /// device to experiment on; a distribution backport would read as
    /// "unsupported", which only makes callers use the slower sink-peer path.
    static func kernelHasAllowedIPRemoval() -> Bool {
        var name = utsname()
        guard uname(&name) == 0 else { return false }
        let release = withUnsafeBytes(of: name.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return allowedIPRemovalSupported(kernelRelease: release)
    }

    /// Whether a kernel of this `uname -r` release (e.g. "6.1.0-56-amd64") has `WGALLOWEDIP_A_FLAGS`.
    public static func allowedIPRemovalSupported(kernelRelease: String) -> Bool {
        let parts = kernelRelease.split(separator: ".", maxSplits: 2).prefix(2).map { part in
            Int(part.prefix { $0.isASCII && $0.isNumber })
        }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return false }
        return (major, minor) >= (6, 16)
    }

    /// The names of every link of kind `wireguard`, sorted.
    public func deviceNames() throws -> [String] {
        try state.withLock { state throws(WireGuardError) -> [String] in
            // The routing module owns link decoding; the kind filter is ours.
            do throws(RoutingError) {
                if state.routing == nil { state.routing = try RoutingClient() }
                return try state.routing!.links().filter { $0.kind == "wireguard" }.map(\.name).sorted()
            } catch {
                throw WireGuardError(.system, errno: error.errno, "Unable to list WireGuard interfaces: \(error.reason)")
            }
        }
    }

    /// Reads one device with every peer's allowed IPs merged.
    public func device(named name: String) throws -> WireGuardDevice {
        try Self.checkName(name, modifying: false)
        var request = NetlinkMessageBuilder(type: familyID, flags: 0)
        request.appendFixedHeader(
            GenericNetlinkHeader(command: WireGuardNetlink.Command.getDevice, version: WireGuardNetlink.version))
        request.put(WireGuardNetlink.Device.ifname, string: name)
        return try state.withLock { state throws(WireGuardError) -> WireGuardDevice in
            do throws(NetlinkError) {
                let replies = try state.socket.dump(request, operation: "get WireGuard device \(name)")
                return try KernelDeviceDecoder.decode(replies)
            } catch {
                throw WireGuardError.kernel(error, device: name, modifying: false)
            }
        }
    }

    /// Applies `config` in as many messages as it needs, waiting for each ACK and stopping at the first error.
    @discardableResult
    public func configure(device name: String, with config: DeviceConfig) throws -> ApplyReport {
        try Self.checkName(name, modifying: true)
        try validate(config, device: name)
        let messages = KernelConfigEncoder.messages(
            for: config, device: name, familyID: familyID, sizeLimit: messageSizeLimit)
        return try state.withLock { state throws(WireGuardError) -> ApplyReport in
            for (index, message) in messages.enumerated() {
                do throws(NetlinkError) {
                    try state.socket.execute(message, operation: "set WireGuard device \(name)")
                } catch {
                    throw WireGuardError.kernel(error, device: name, modifying: true, applied: index, of: messages.count)
                }
            }
            return ApplyReport(messagesSent: messages.count)
        }
    }

    private static func checkName(_ name: String, modifying: Bool) throws(WireGuardError) {
        do {
            _ = try InterfaceName(name)
        } catch {
            throw WireGuardError(
                .noSuchDevice, device: name, errno: 19,
                "Unable to \(modifying ? "modify" : "access") interface \(name): \(error.reason)")
        }
    }

    /// Checks everything the kernel would refuse halfway, so a bad change sends nothing.
    private func validate(_ config: DeviceConfig, device: String) throws(WireGuardError) {
        func refuse(_ reason: String) -> WireGuardError {
            WireGuardError(.invalidConfiguration, device: device, errno: 22,
                           "Unable to modify interface \(device): \(reason); nothing was changed")
        }
        guard config.peers.count <= 1 << 20 else {
            throw refuse("\(config.peers.count) peers exceed WireGuard's limit of 1,048,576")
        }
        // No check of the peer keys themselves: the kernel takes any 32 bytes, Curve25519's
        // low-order points (the all-zero key among them) included, and wg(8) passes them on. Such
        // a peer never completes a handshake, which is the kernel's answer, not ours to change.
        for peer in config.peers {
            if !peer.remove, !peer.removedAllowedIPs.isEmpty, !supportsAllowedIPRemoval {
                throw WireGuardError(
                    .unsupportedByImplementation, device: device, errno: 95,
                    "Unable to modify interface \(device): this kernel cannot remove a single allowed IP "
                        + "(needs Linux 6.16); use replace-allowed-ips instead; nothing was changed")
            }
        }
    }
}
