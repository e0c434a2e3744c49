internal import Glibc
public import WGMeshCore
public import WGMeshWireGuard

/// Reads and changes devices for the wg commands, turning failures into wg's
/// messages ("Unable to access interface: No such device").
public struct WGDeviceAccess: Sendable {
    /// The device layer; `WireGuardClient()` in the tool, a fake in tests.
    public let backend: any WireGuardBackend
    /// How syncconf takes allowed IPs away; nil asks the backend (see ``owner(of:)``).
    public let allowedIPRemoval: AllowedIPRemoval?

    /// Creates access over `backend`; tests over a fake pass the removal it supports.
    public init(backend: any WireGuardBackend, allowedIPRemoval: AllowedIPRemoval? = nil) {
        self.backend = backend
        self.allowedIPRemoval = allowedIPRemoval
    }

    /// Access narrowed to the backend that owns `device`, so a command that
    /// reads then writes looks the device up once; and how that backend takes
    /// allowed IPs away: the kernel's remove flag where the kernel has it, else
    /// the sink peer, which works everywhere.
    public func owner(of device: String) throws(WGToolError) -> (access: WGDeviceAccess, removal: AllowedIPRemoval) {
        var owner = backend
        if let client = backend as? WireGuardClient {
            do {
                owner = try client.backend(for: device)
            } catch {
                throw WGToolError(
                    .device, "Unable to retrieve current interface configuration: \(Self.systemText(for: error, device: device))")
            }
        }
        let removal =
            allowedIPRemoval
            ?? ((owner as? KernelWireGuardBackend)?.supportsAllowedIPRemoval == true ? .removeFlag : .sinkPeer)
        return (WGDeviceAccess(backend: owner, allowedIPRemoval: removal), removal)
    }

    /// Every WireGuard device name, in the order wg lists them.
    public func names() throws(WGToolError) -> [String] {
        do {
            return WGInterfaceOrder.wgOrder(try backend.deviceNames())
        } catch {
            throw WGToolError(.device, "Unable to list interfaces: \(Self.systemText(for: error))")
        }
    }

    /// Reads one device; `context` is wg's text before the colon.
    public func device(_ name: String, context: String = "Unable to access interface") throws(WGToolError)
        -> WireGuardDevice
    {
        do {
            return try backend.device(named: name)
        } catch {
            throw WGToolError(.device, "\(context): \(Self.systemText(for: error, device: name))")
        }
    }

    /// Applies `config` and prints the message count when asked to.
    public func configure(_ name: String, with config: DeviceConfig) throws(WGToolError) {
        do {
            let report = try backend.configure(device: name, with: config)
            WGOutput.reportMessages(report.messagesSent)
        } catch {
            throw WGToolError(.device, "Unable to modify interface: \(Self.systemText(for: error))")
        }
    }

    /// What wg would print after the colon: the C library's text for the
    /// errno behind `error`, or our own reason when there is no errno.
    public static func systemText(for error: any Error, device: String? = nil) -> String {
        if let error = error as? WireGuardError {
            // When reading, the kernel refuses a name longer than IFNAMSIZ - 1
            // with EINVAL before looking for it, so wg reports that (a change
            // to such a name fails with ENODEV); pass `device` only for reads.
            if error.code == .noSuchDevice, error.errno == 0 || error.errno == ENODEV, let device,
                device.utf8.count > 15
            {
                return String(cString: strerror(EINVAL))
            }
            if error.errno != 0 { return String(cString: strerror(error.errno)) }
            if error.code == .noSuchDevice { return String(cString: strerror(ENODEV)) }
            // wg's own words on a host with neither the module nor a socket.
            if error.code == .noImplementation { return String(cString: strerror(EPROTONOSUPPORT)) }
            return error.reason
        }
        return "\(error)"
    }
}
