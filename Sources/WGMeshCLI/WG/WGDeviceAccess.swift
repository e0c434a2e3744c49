internal import Glibc
public import WGMeshCore
internal import WGMeshWireGuard

/// Reads and changes devices for the wg commands, turning failures into wg's
/// messages ("Unable to access interface: No such device").
public struct WGDeviceAccess: Sendable {
    /// The device layer; `WireGuardClient()` in the tool, a fake in tests.
    public let backend: any WireGuardBackend

    /// Creates access over `backend`.
    public init(backend: any WireGuardBackend) { self.backend = backend }

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
            throw WGToolError(.device, "\(context): \(Self.systemText(for: error))")
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
    public static func systemText(for error: any Error) -> String {
        if let error = error as? WireGuardError {
            if error.errno != 0 { return String(cString: strerror(error.errno)) }
            if error.code == .noSuchDevice { return String(cString: strerror(ENODEV)) }
            // wg's own words on a host with neither the module nor a socket.
            if error.code == .noImplementation { return String(cString: strerror(EPROTONOSUPPORT)) }
            return error.reason
        }
        return "\(error)"
    }
}
