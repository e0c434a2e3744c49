public import WGMeshCore

/// The arguments of `wg set IFACE ...` after the interface name, turned into
/// one change, with wg's grammar: device options come before the first `peer`,
/// and every peer option applies to the latest `peer`.
public struct WGSetArguments: Sendable {
    /// The change to send.
    public var configuration: DeviceConfig
    /// Warnings for stderr (allowed IPs with host bits set).
    public var warnings: [String]

    /// Reads key files from disk; tests substitute their own reader.
    public typealias KeyFileReader = (String) throws(WGToolError) -> SecretKey

    /// Parses `arguments`, reading key files with `readKeyFile`.
    public init(
        _ arguments: [String],
        readKeyFile: KeyFileReader = { path throws(WGToolError) in try WGKeyFile.read(path) }
    ) throws(WGToolError) {
        var config = DeviceConfig()
        var warnings: [String] = []
        var index = 0
        func value() -> String? { index + 1 < arguments.count ? arguments[index + 1] : nil }
        do throws(WGToolError) {
            while index < arguments.count {
                let word = arguments[index]
                let hasPeer = !config.peers.isEmpty
                let last = config.peers.count - 1
                switch (word, value(), hasPeer) {
                case ("listen-port", let text?, false): config.listenPort = try WGResolver.listenPort(text)
                case ("fwmark", let text?, false): config.fwmark = try WGValueParser.fwmark(text)
                case ("private-key", let path?, false): config.privateKey = try readKeyFile(path)
                case ("peer", let text?, _): config.peers.append(PeerConfig(publicKey: try WGValueParser.publicKey(text)))
                case ("remove", _, true):
                    config.peers[last].remove = true
                    index += 1
                    continue
                case ("endpoint", let text?, true): config.peers[last].endpoint = try WGResolver.endpoint(text)
                case ("allowed-ips", let text?, true):
                    // wg drops every space in the list, then adds to the list this
                    // command already holds for the peer and replaces the device's.
                    let parsed = try WGValueParser.allowedIPs(String(text.unicodeScalars.filter { !Self.isSpace($0) }))
                    warnings += parsed.warnings
                    config.peers[last].replaceAllowedIPs = true
                    config.peers[last].allowedIPs += parsed.networks
                case ("persistent-keepalive", let text?, true):
                    config.peers[last].persistentKeepalive = try WGValueParser.persistentKeepalive(text)
                case ("preshared-key", let path?, true): config.peers[last].presharedKey = try readKeyFile(path)
                default:
                    throw WGToolError(.usage, "Invalid argument: \(word)")
                }
                index += 2
            }
        } catch {
            // wg prints each warning as it parses, so they precede the error.
            throw WGToolError(error.code, (warnings + [error.message]).joined(separator: "\n"))
        }
        self.configuration = config
        self.warnings = warnings
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || (9...13).contains(scalar.value) }
}
