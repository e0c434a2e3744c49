import WGMeshNetlink

extension WireGuardError.Code {
    /// The caller lacks CAP_NET_ADMIN (EPERM from the kernel).
    public static let permissionDenied = WireGuardError.Code("permission denied")
    /// The change was refused before anything was sent; the device is unchanged.
    public static let invalidConfiguration = WireGuardError.Code("invalid configuration")
}

extension WireGuardError {
    /// Wraps a netlink failure with a reason that names the device and says what to do.
    ///
    /// `applied` is how many SET messages the kernel had already accepted:
    /// the kernel is not transactional, so the operator needs to know the
    /// device may be half-changed.
    static func kernel(
        _ error: NetlinkError, device: String, modifying: Bool, applied: Int = 0, of total: Int = 1
    ) -> WireGuardError {
        let verb = modifying ? "modify" : "access"
        var kernelSays = ""
        if let message = error.extendedAck { kernelSays = " (kernel: \(message))" }
        let partial = applied > 0
            ? " \(applied) of \(total) messages were applied before this one; read the device back before retrying." : ""
        switch (error.code, error.errno) {
        case (.kernel, 19 /* ENODEV */):
            return WireGuardError(
                .noSuchDevice, device: device, errno: error.errno,
                "Unable to \(verb) interface \(device): No such device")
        case (.kernel, 95 /* EOPNOTSUPP */):
            return WireGuardError(
                .notWireGuard, device: device, errno: error.errno,
                "Unable to \(verb) interface \(device): it is not a WireGuard device; pick a link of type wireguard")
        case (.kernel, 1 /* EPERM */), (.kernel, 13 /* EACCES */):
            return WireGuardError(
                .permissionDenied, device: device, errno: error.errno,
                "Unable to \(verb) interface \(device): \(error.errnoDescription); run as root or grant CAP_NET_ADMIN")
        case (.kernel, _):
            return WireGuardError(
                .rejected, device: device, errno: error.errno,
                "Unable to \(verb) interface \(device): \(error.errnoDescription)\(kernelSays).\(partial)")
        case (.malformed, _), (.truncated, _):
            return WireGuardError(
                .malformedReply, device: device, errno: 0,
                "Unable to \(verb) interface \(device): \(error.description)")
        default:
            return WireGuardError(
                .system, device: device, errno: error.errno,
                "Unable to \(verb) interface \(device): \(error.description)")
        }
    }
}
