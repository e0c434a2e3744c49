import WGMeshCore

extension WireGuardError.Code {
    /// The implementation cannot do what was asked (e.g. wireguard-go 0.0.20220316 has no `allowed_ip=-CIDR`).
    public static let unsupportedByImplementation = WireGuardError.Code("unsupported by this implementation")
    /// The userspace process did not answer in time.
    public static let uapiTimedOut = WireGuardError.Code("userspace process timed out")
    /// Starting wireguard-go failed, or its socket never appeared.
    public static let userspaceLaunchFailed = WireGuardError.Code("userspace launch failed")
    /// Creating an interface failed because the name is taken.
    public static let interfaceExists = WireGuardError.Code("interface exists")
}

extension WireGuardError {
    /// `strerror` text for a positive errno, as wg(8) prints it.
    static func describe(errno value: Int32) -> String {
        SystemErrno(value).description
    }
}
