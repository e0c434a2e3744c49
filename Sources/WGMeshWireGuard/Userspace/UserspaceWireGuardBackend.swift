public import WGMeshCore
import Glibc
import WGMeshKeys

/// Talks to wireguard-go or boringtun over their UAPI socket, `DIRECTORY/NAME.sock`.
///
/// Every call opens its own connection, so the backend is a plain value and safe to share.
public struct UserspaceWireGuardBackend: WireGuardBackend {
    /// Where implementations put their sockets; wireguard-go and boringtun both use `/var/run/wireguard`.
    public let socketDirectory: String

    /// Creates a backend that looks for sockets in `socketDirectory`.
    public init(socketDirectory: String = "/var/run/wireguard") {
        self.socketDirectory = socketDirectory
    }

    /// Always ``WireGuardBackendKind/userspace``.
    public var kind: WireGuardBackendKind { .userspace }

    /// The socket path for `device`.
    public func socketPath(for device: String) -> String { "\(socketDirectory)/\(device).sock" }

    /// Whether a socket file exists for `device` (it may still be stale).
    public func socketExists(for device: String) -> Bool {
        guard (try? InterfaceName(device)) != nil else { return false }
        var info = stat()
        guard stat(socketPath(for: device), &info) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFSOCK
    }

    /// Names with a `.sock` whose process accepts a connection, sorted; stale sockets are skipped.
    public func deviceNames() throws -> [String] {
        guard let directory = opendir(socketDirectory) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return [] }
            throw WireGuardError(.system, errno: code,
                                 "Unable to list \(socketDirectory): \(WireGuardError.describe(errno: code))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasSuffix(".sock") else { continue }
            let device = String(name.dropLast(5))
            guard (try? InterfaceName(device)) != nil, UAPISocket.accepts(path: socketPath(for: device)) else { continue }
            names.append(device)
        }
        return names.sorted()
    }

    /// Reads the device with one `get=1`.
    public func device(named name: String) throws -> WireGuardDevice {
        let socket = try connect(name)
        try sendAll("get=1\n\n", on: socket)
        var parser = UAPIDeviceParser(name: name)
        var ended = false
        while !ended, let more = try socket.nextLine({ line throws(WireGuardError) in try parser.consume(line) }) {
            ended = !more
        }
        guard ended, let code = parser.errno else { throw Self.truncated(name) }
        guard code == 0 else { throw Self.rejected(name, code, reading: true) }
        var device = parser.device
        device.ifindex = if_nametoindex(name)
        // wireguard-go reports only the private key; the kernel reports both, so derive it here.
        if device.publicKey == nil, let secret = device.privateKey {
            device.publicKey = Curve25519.KeyAgreement.PrivateKey(secret: secret).publicKey
        }
        return device
    }

    /// Applies `config` with one `set=1`, streamed as it is encoded; one request, whatever its size.
    @discardableResult
    public func configure(device name: String, with config: DeviceConfig) throws -> ApplyReport {
        try UAPISetEncoder.check(config, device: name)
        let socket = try connect(name)
        var encoder = UAPISetEncoder { bytes throws(WireGuardError) in try socket.writeAll(bytes) }
        defer { encoder.wipe() }
        try encoder.encode(config)
        let code = try Self.readErrno(from: socket)
        guard code == 0 else { throw Self.rejected(name, code, reading: false) }
        return ApplyReport(messagesSent: 1)
    }

    private func connect(_ name: String) throws(WireGuardError) -> UAPISocket {
        guard (try? InterfaceName(name)) != nil else {
            throw WireGuardError(.noSuchDevice, device: name, errno: ENODEV,
                                 "Unable to access interface \(name): Invalid interface name")
        }
        return try UAPISocket(path: socketPath(for: name), device: name)
    }

    private func sendAll(_ text: StaticString, on socket: UAPISocket) throws(WireGuardError) {
        _ = try socket.writeAll(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Reads `errno=N` and the blank line after it; any other line is a protocol error.
    static func readErrno(from socket: UAPISocket) throws(WireGuardError) -> Int32 {
        var parser = UAPIDeviceParser(name: socket.device)
        var ended = false
        while !ended, let more = try socket.nextLine({ line throws(WireGuardError) -> Bool in
            if !line.isEmpty, !line.starts(with: "errno=".utf8) {
                throw WireGuardError(.malformedReply, device: socket.device,
                                     "Unable to modify interface \(socket.device): expected errno=N, got '\(UAPIDeviceParser.printable(line))'")
            }
            return try parser.consume(line)
        }) {
            ended = !more
        }
        guard ended, let code = parser.errno else { throw truncated(socket.device) }
        return code
    }

    private static func truncated(_ name: String) -> WireGuardError {
        WireGuardError(.malformedReply, device: name,
                       "Unable to access interface \(name): the userspace process closed the connection before answering (it may have crashed or rejected the request); check its log")
    }

    private static func rejected(_ name: String, _ code: Int32, reading: Bool) -> WireGuardError {
        WireGuardError(.rejected, device: name, errno: code,
                       "Unable to \(reading ? "access" : "modify") interface \(name): \(WireGuardError.describe(errno: code)) (errno \(code) from the userspace process)")
    }
}
