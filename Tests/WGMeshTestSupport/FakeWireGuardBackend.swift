import Glibc
public import WGMeshCore
public import WGMeshWireGuard
import Synchronization

/// An in-memory WireGuard backend that applies changes by the kernel's rules.
///
/// Thread-safe: all state sits behind one lock. It counts `configure` calls
/// (one per message a real backend would send at least), and an observer can
/// check invariants after every single step of an apply; see
/// ``FakeDeviceState/apply(_:supportsAllowedIPRemoval:derivePublicKey:observe:)``.
public final class FakeWireGuardBackend: WireGuardBackend {
    /// Called with the device name, the step, and the device right after it.
    public typealias Observer = @Sendable (String, FakeStep, FakeDeviceState) -> Void

    private struct Storage {
        var devices: [String: FakeDeviceState] = [:]
        var configureCalls = 0
        var observer: Observer?
    }

    /// Which implementation the fake pretends to be.
    public let kind: WireGuardBackendKind
    /// Whether removing one allowed IP (the allowed-IP remove flag) is accepted.
    public let supportsAllowedIPRemoval: Bool
    private let derivePublicKey: @Sendable (SecretKey) -> WireGuardKey
    private let storage = Mutex(Storage())

    /// Creates a fake holding `devices`.
    ///
    /// `derivePublicKey` turns a private key into the device's public key when a
    /// change sets one. The default is ``fakePublicKey(for:)``, which is NOT
    /// X25519; tests that mix in real keys pass WGMeshKeys' derivation.
    public init(
        kind: WireGuardBackendKind = .kernel, devices: [WireGuardDevice] = [], supportsAllowedIPRemoval: Bool = true,
        derivePublicKey: @escaping @Sendable (SecretKey) -> WireGuardKey = FakeWireGuardBackend.fakePublicKey(for:)
    ) {
        self.kind = kind
        self.supportsAllowedIPRemoval = supportsAllowedIPRemoval
        self.derivePublicKey = derivePublicKey
        storage.withLock { storage in
            for device in devices { storage.devices[device.name] = FakeDeviceState(device) }
        }
    }

    /// A stand-in public key: a cheap, deterministic scramble of the clamped private key.
    public static func fakePublicKey(for privateKey: SecretKey) -> WireGuardKey {
        privateKey.clampedForCurve25519.withUnsafeBytes { bytes in
            var generator = SplitMix64(seed: bytes.load(fromByteOffset: 0, as: UInt64.self)
                ^ bytes.load(fromByteOffset: 8, as: UInt64.self).byteSwapped
                ^ bytes.load(fromByteOffset: 16, as: UInt64.self) &* 31
                ^ bytes.load(fromByteOffset: 24, as: UInt64.self) &* 131)
            return generator.nextWireGuardKey()
        }
    }

    /// How many times `configure` was called (on any device, failures included).
    public var configureCalls: Int { storage.withLock { $0.configureCalls } }

    /// The current state of one device, or nil if there is none of that name.
    public func state(of name: String) -> FakeDeviceState? { storage.withLock { $0.devices[name] } }

    /// Adds `device`, or replaces the device of that name, exactly as described.
    public func setDevice(_ device: WireGuardDevice) {
        let state = FakeDeviceState(device)
        storage.withLock { $0.devices[device.name] = state }
    }

    /// Removes a device, as deleting its link would.
    public func removeDevice(named name: String) { _ = storage.withLock { $0.devices.removeValue(forKey: name) } }

    /// Sets (or clears) the observer `configure(device:with:)` calls after every step.
    ///
    /// It runs with the fake's lock held: it must not call back into the fake.
    public func setObserver(_ observer: Observer?) { storage.withLock { $0.observer = observer } }

    /// The names of the fake's devices, sorted.
    public func deviceNames() throws -> [String] { storage.withLock { $0.devices.keys.sorted() } }

    /// The device as a read would return it, or ``WireGuardError/Code/noSuchDevice``.
    public func device(named name: String) throws(WireGuardError) -> WireGuardDevice {
        guard let state = self.state(of: name) else { throw Self.noSuchDevice(name) }
        return state.device
    }

    /// Applies `config` by the kernel's rules, calling the stored observer after every step.
    @discardableResult
    public func configure(device name: String, with config: DeviceConfig) throws(WireGuardError) -> ApplyReport {
        let observer = storage.withLock { $0.observer }
        return try configure(device: name, with: config) { step, state in observer?(name, step, state) }
    }

    /// Applies `config` like ``configure(device:with:)``, calling `observe` after every step.
    @discardableResult
    public func configure(
        device name: String, with config: DeviceConfig, observe: (FakeStep, FakeDeviceState) -> Void
    ) throws(WireGuardError) -> ApplyReport {
        try storage.withLock { storage throws(WireGuardError) in
            storage.configureCalls += 1
            guard var state = storage.devices[name] else { throw Self.noSuchDevice(name) }
            // Write back even on failure: the kernel keeps whatever it applied before the error.
            defer { storage.devices[name] = state }
            try state.apply(
                config, supportsAllowedIPRemoval: supportsAllowedIPRemoval, derivePublicKey: derivePublicKey,
                observe: observe)
            return ApplyReport(messagesSent: 1)
        }
    }

    private static func noSuchDevice(_ name: String) -> WireGuardError {
        WireGuardError(.noSuchDevice, device: name, errno: ENODEV, "Unable to access interface \(name): No such device")
    }
}
