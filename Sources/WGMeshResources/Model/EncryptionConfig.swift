public import WGMeshCore

/// The cluster's encryption settings: one resource, named `default`.
public struct EncryptionConfig: Resource {
    public static let kind = ResourceKind(
        name: "EncryptionConfig", plural: "encryptionconfigs", aliases: ["encryption"])
    /// The only name the store accepts for this kind.
    public static let requiredName = "default"
    public var metadata: ObjectMeta
    public var spec: EncryptionConfigSpec

    /// Creates the configuration.
    public init(metadata: ObjectMeta = ObjectMeta(name: EncryptionConfig.requiredName),
                spec: EncryptionConfigSpec = EncryptionConfigSpec())
    {
        self.metadata = metadata
        self.spec = spec
    }
}

/// Encryption settings, with the defaults a new cluster gets.
public struct EncryptionConfigSpec: Hashable, Sendable {
    /// Whether the mesh encrypts at all (default true).
    public var enabled: Bool
    /// The nodes that take part (default all()).
    public var nodeSelector: LabelSelector
    /// Also encrypt traffic between the nodes' own addresses (default false).
    public var hostEncryption: Bool
    /// Drop traffic that should be encrypted rather than send it in plaintext (default false).
    public var strictMode: Bool
    /// Seconds between keepalives; nil or 0 turns them off.
    public var persistentKeepalive: UInt16?
    /// The interface MTU; nil derives it from the underlay.
    public var mtu: Int?
    /// The WireGuard UDP port (default 51820).
    public var listenPort: UInt16
    /// The WireGuard interface's name (default wgmesh0).
    public var interfaceName: InterfaceName

    /// Creates settings.
    public init(enabled: Bool = true, nodeSelector: LabelSelector = .all, hostEncryption: Bool = false,
                strictMode: Bool = false, persistentKeepalive: UInt16? = nil, mtu: Int? = nil,
                listenPort: UInt16 = 51820, interfaceName: InterfaceName = "wgmesh0")
    {
        self.enabled = enabled
        self.nodeSelector = nodeSelector
        self.hostEncryption = hostEncryption
        self.strictMode = strictMode
        self.persistentKeepalive = persistentKeepalive
        self.mtu = mtu
        self.listenPort = listenPort
        self.interfaceName = interfaceName
    }
}
