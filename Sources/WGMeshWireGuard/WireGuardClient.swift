public import WGMeshCore
internal import WGMeshSystem
import Glibc
import WGMeshRouting

/// Which backend a ``WireGuardClient`` may use.
public enum BackendPreference: String, Sendable, CaseIterable {
    /// The kernel when its genetlink family exists, else a userspace socket.
    case auto
    /// The kernel module only.
    case kernel
    /// A userspace implementation (wireguard-go) only.
    case userspace
}

/// One client over both backends: picks the kernel or the UAPI socket per device.
///
/// Like wgctrl-go it asks each backend in turn: a kernel WireGuard link goes to the kernel,
/// anything with a live socket in `/var/run/wireguard` goes to the userspace process.
public struct WireGuardClient: WireGuardBackend {
    /// Opens the kernel backend, or nil when the kernel has no WireGuard.
    typealias KernelOpener = @Sendable () throws -> (any WireGuardBackend)?

    /// The preference this client was made with.
    public let preference: BackendPreference
    /// The userspace backend this client falls back to.
    public let userspace: UserspaceWireGuardBackend
    private let kernel: (any WireGuardBackend)?
    private let kernelProblem: WireGuardError?
    private let userspaceProgram: String

    /// Creates a client; with `.auto` or `.kernel` it opens the kernel backend once, here.
    public init(preference: BackendPreference = .auto) {
        self.init(preference: preference, userspace: UserspaceWireGuardBackend(),
                  openKernel: { try KernelWireGuardBackend.open() })
    }

    /// Creates a client with injected parts, for tests.
    init(preference: BackendPreference, userspace: UserspaceWireGuardBackend,
         userspaceProgram: String = WireGuardGoLauncher.program, openKernel: KernelOpener) {
        self.preference = preference
        self.userspace = userspace
        self.userspaceProgram = userspaceProgram
        var kernel: (any WireGuardBackend)?
        var problem: WireGuardError?
        if preference != .userspace {
            do {
                kernel = try openKernel()
            } catch let error as WireGuardError {
                problem = error
            } catch {
                problem = WireGuardError(.system, "cannot open the kernel WireGuard interface: \(error)")
            }
        }
        self.kernel = kernel
        kernelProblem = problem
    }

    /// The kernel when it is in use, else userspace.
    public var kind: WireGuardBackendKind {
        preference == .kernel || (preference == .auto && kernel != nil) ? .kernel : .userspace
    }

    /// The backend that owns `device`: the kernel for a kernel WireGuard link, else the UAPI socket.
    ///
    /// Throws `.noSuchDevice` as wg(8) words it, or `.noImplementation` when this machine has
    /// neither the kernel module nor any userspace implementation.
    public func backend(for device: String) throws -> any WireGuardBackend {
        if let kernel, try isKernelWireGuardLink(device) { return kernel }
        if preference == .kernel {
            if let kernelProblem { throw kernelProblem }
            if kernel == nil { throw noImplementation(kernelOnly: true) }
            throw noSuchDevice(device)
        }
        if userspace.socketExists(for: device) { return userspace }
        if kernel == nil, kernelProblem == nil, !userspaceAvailable() { throw noImplementation(kernelOnly: false) }
        throw noSuchDevice(device)
    }

    /// Every WireGuard device either backend can see, sorted, each name once.
    public func deviceNames() throws -> [String] {
        var names: Set<String> = []
        if let kernel { names.formUnion(try kernel.deviceNames()) }
        else if preference == .kernel { throw kernelProblem ?? noImplementation(kernelOnly: true) }
        if preference != .kernel { names.formUnion(try userspace.deviceNames()) }
        return names.sorted()
    }

    /// Reads `name` from whichever backend owns it.
    public func device(named name: String) throws -> WireGuardDevice {
        try backend(for: name).device(named: name)
    }

    /// Applies `config` through whichever backend owns `name`.
    @discardableResult
    public func configure(device name: String, with config: DeviceConfig) throws -> ApplyReport {
        try backend(for: name).configure(device: name, with: config)
    }

    /// Creates the interface: a kernel link of kind wireguard, else (when allowed) a
    /// `wireguard-go NAME` daemon that outlives this process. Returns which one it made.
    public func createInterface(_ name: InterfaceName, allowUserspace: Bool) throws -> WireGuardBackendKind {
        let routing = try routing(for: name)
        if preference != .userspace {
            do throws(RoutingError) {
                try routing.createWireGuardLink(named: name)
                return .kernel
            } catch let error where error.code == .unsupportedLinkKind {
                guard allowUserspace, preference == .auto else {
                    throw WireGuardError(
                        .noImplementation, device: name.rawValue, errno: error.errno,
                        "cannot create \(name): the kernel has no WireGuard module; load it (modprobe wireguard) or allow a userspace implementation (wireguard-go)")
                }
            } catch {
                throw wrap(error, creating: name)
            }
        } else if !allowUserspace {
            throw WireGuardError(.noImplementation, device: name.rawValue,
                                 "cannot create \(name): this client is limited to userspace but userspace was not allowed")
        }
        if (try? routing.link(named: name)) != nil {
            throw WireGuardError(.interfaceExists, device: name.rawValue, errno: EEXIST,
                                 "cannot create \(name): a link with that name already exists; delete it first or pick another name")
        }
        let socketPath = userspace.socketPath(for: name.rawValue)
        if UAPISocket.accepts(path: socketPath) {
            throw Self.foreignSocket(name, path: socketPath)
        }
        try WireGuardGoLauncher.start(name, socketPath: userspace.socketPath(for: name.rawValue), program: userspaceProgram)
        return .userspace
    }

    /// The error for a live wireguard-go socket whose link is not in this namespace.
    ///
    /// The socket folder is a path shared by every network namespace, so the socket of another
    /// namespace's wireguard-go (a node torn down while its process survived, a second mesh on
    /// the machine) looks like ours. The kernel names the process; its namespace tells the two
    /// cases apart.
    static func foreignSocket(_ name: InterfaceName, path: String) -> WireGuardError {
        guard let pid = UAPISocket.servingProcess(path: path) else {
            return WireGuardError(.interfaceExists, device: name.rawValue, errno: EEXIST,
                                  "cannot create \(name): a process answers on \(path) but there is no link \(name) in "
                                      + "this network namespace; find it (ss -xlp | grep \(name)) and stop it, or pick another name")
        }
        switch SystemCalls.sharesNetworkNamespace(with: pid) {
        case false?:
            return WireGuardError(.interfaceExists, device: name.rawValue, errno: EEXIST,
                                  "cannot create \(name): \(path) belongs to wireguard-go (pid \(pid)) in another network "
                                      + "namespace (every namespace shares that folder, and its \(name) is not in this one); "
                                      + "stop it (kill \(pid)) if it is left over, or pick another interface name")
        default:
            return WireGuardError(.interfaceExists, device: name.rawValue, errno: EEXIST,
                                  "cannot create \(name): wireguard-go (pid \(pid)) answers on \(path) in this network "
                                      + "namespace but has no link \(name): it is shutting down or stuck; stop it (kill \(pid)) "
                                      + "and start again")
        }
    }

    /// Deletes the interface. For wireguard-go, deleting its TUN link makes it exit; we wait
    /// briefly for its socket to close so the name can be reused at once.
    public func deleteInterface(_ name: InterfaceName) throws {
        let socketPath = userspace.socketPath(for: name.rawValue)
        let routing = try routing(for: name)
        do throws(RoutingError) {
            try routing.deleteLink(named: name)
        } catch let error where error.code == .noSuchLink {
            throw noSuchDevice(name.rawValue)
        } catch {
            throw WireGuardError(.system, device: name.rawValue, errno: error.errno, "cannot delete \(name): \(error.reason)")
        }
        var waited = 0
        while waited < 200, UAPISocket.accepts(path: socketPath) {
            usleep(10_000)
            waited += 1
        }
    }

    // MARK: helpers

    /// Whether `device` is a link of kind `wireguard` here (wireguard-go's TUN links are kind `tun`).
    private func isKernelWireGuardLink(_ device: String) throws -> Bool {
        guard let name = try? InterfaceName(device) else { return false }
        let routing = try routing(for: name)
        do throws(RoutingError) {
            return try routing.link(named: name).kind == "wireguard"
        } catch let error where error.code == .noSuchLink {
            return false
        } catch {
            throw WireGuardError(.system, device: device, errno: error.errno, "Unable to access interface \(device): \(error.reason)")
        }
    }

    private func routing(for name: InterfaceName) throws(WireGuardError) -> RoutingClient {
        do {
            return try RoutingClient()
        } catch {
            throw WireGuardError(.system, device: name.rawValue, errno: error.errno, "Unable to access interface \(name): \(error.reason)")
        }
    }

    /// Whether a userspace implementation could serve a device: a socket, or the program on PATH.
    private func userspaceAvailable() -> Bool {
        if (try? userspace.deviceNames().isEmpty) == false { return true }
        return Self.programOnPath(userspaceProgram)
    }

    static func programOnPath(_ program: String) -> Bool {
        if program.contains("/") { return access(program, X_OK) == 0 }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
    }

    /// The errno is the one wg(8) reports for a missing device: EPROTONOSUPPORT when the kernel
    /// has no WireGuard family (it asked genetlink last), ENODEV otherwise; the CLI prints it.
    private func noSuchDevice(_ device: String) -> WireGuardError {
        let code = kernel == nil && preference != .userspace ? EPROTONOSUPPORT : ENODEV
        return WireGuardError(.noSuchDevice, device: device, errno: code, "Unable to access interface \(device): No such device")
    }

    private func noImplementation(kernelOnly: Bool) -> WireGuardError {
        WireGuardError(.noImplementation, errno: EPROTONOSUPPORT,
                       kernelOnly
                           ? "no kernel WireGuard: load the kernel module (modprobe wireguard) or allow the userspace backend"
                           : "no WireGuard implementation found: load the kernel module (modprobe wireguard) or install wireguard-go (apt-get install wireguard-go)")
    }

    private func wrap(_ error: RoutingError, creating name: InterfaceName) -> WireGuardError {
        let code: WireGuardError.Code = error.code == .exists ? .interfaceExists : .system
        return WireGuardError(code, device: name.rawValue, errno: error.errno, error.reason)
    }
}
