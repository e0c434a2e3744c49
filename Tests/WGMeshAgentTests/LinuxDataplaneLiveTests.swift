import Glibc
import Logging
import Synchronization
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshKeys
import WGMeshTestSupport

/// Shared by the suites that drive a real ``LinuxDataplane``: as root in a
/// throwaway netns (scripts/netns) with wireguard-go on the host, or with
/// kernel WireGuard inside the VM, where backend `auto` picks the kernel.
enum DataplaneLive {
    /// Root, and an implementation: wireguard-go on the host, the module in the VM.
    static let enabled: Bool = flag("WGMESH_ROOT_TESTS") && (flag("WGMESH_USERSPACE_TESTS") || flag("WGMESH_KERNEL_TESTS"))

    static func flag(_ name: String) -> Bool { getenv(name).map { String(cString: $0) == "1" } ?? false }

    private static let counter = Atomic<Int>(0)

    /// A number no other test in this run uses, for names, tables and ports.
    static func unique() -> Int { counter.add(1, ordering: .relaxed).newValue }

    /// An interface name unique across parallel runs, since wireguard-go's
    /// sockets are shared by every netns unless scripts/netns hides them.
    static func interfaceName() -> InterfaceName {
        try! InterfaceName("wgdp\(getpid() % 100_000)x\(unique())")
    }

    /// Settings with a table, priority and interface of the test's own, so
    /// suites running beside it in the netns never see each other's state.
    static func settings(stateDirectory: String?) -> DataplaneSettings {
        let n = unique()
        return DataplaneSettings(interfaceName: interfaceName(), backend: .auto, fwmark: 0x0010_0000,
                                 routingTable: UInt32(52_000 + (Int(getpid()) % 1000) * 100 + n % 100),
                                 rulePriority: UInt32(4000 + n), stateDirectory: stateDirectory)
    }

    static func logger() -> Logger {
        var logger = Logger(label: "wgmesh.test.dataplane")
        logger.logLevel = .critical
        return logger
    }

    /// Runs a tool; returns its stdout, or fails the test with its stderr.
    @discardableResult
    static func tool(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let path = arguments[0] == "wg" ? "/usr/bin/wg" : arguments[0] == "ip" ? ipPath : arguments[0]
        do {
            let result = try runProcess(path, Array(arguments.dropFirst()))
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.standardError)",
                    sourceLocation: sourceLocation)
            return result.standardOutput
        } catch {
            Issue.record("\(arguments.joined(separator: " ")): \(error)", sourceLocation: sourceLocation)
            return ""
        }
    }

    /// Whether a tool succeeds, for "is it gone" checks.
    static func succeeds(_ arguments: String...) -> Bool {
        let path = arguments[0] == "ip" ? ipPath : arguments[0]
        return (try? runProcess(path, Array(arguments.dropFirst())).status) == 0
    }

    static let ipPath: String = access("/usr/sbin/ip", X_OK) == 0 ? "/usr/sbin/ip" : "/sbin/ip"

    /// The peers as `wg show IF dump` lists them: key → "endpoint allowed-ips keepalive",
    /// the allowed IPs sorted, so a line compares equal whatever order the device keeps.
    static func peers(_ name: InterfaceName) -> [String: String] {
        var peers: [String: String] = [:]
        for line in tool("wg", "show", name.rawValue, "dump").split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 8 else { continue }
            let allowed = fields[3].split(separator: ",").map(String.init).sorted().joined(separator: ",")
            peers[fields[0]] = "\(fields[2]) \(allowed) \(fields[7])"
        }
        return peers
    }

    /// The expected dump line of a desired peer.
    static func line(_ peer: DesiredPeer) -> String {
        let allowed = peer.allowedIPs.map(\.description).sorted().joined(separator: ",")
        let keepalive = peer.persistentKeepalive == 0 ? "off" : "\(peer.persistentKeepalive)"
        return "\(peer.endpoint.map(\.description) ?? "(none)") \(allowed) \(keepalive)"
    }

    /// The routes of a table as `ip route show` prints them, one entry per
    /// route: "[throw ]DESTINATION[ dev IF] proto P".
    static func routes(table: UInt32) -> Set<String> {
        var routes: Set<String> = []
        for family in ["-4", "-6"] {
            for line in tool("ip", family, "route", "show", "table", "\(table)").split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                let isThrow = words[0] == "throw"
                var destination = isThrow ? words[1] : words[0]
                // ip prints host routes without their prefix length.
                if !destination.contains("/") { destination += destination.contains(":") ? "/128" : "/32" }
                var text = isThrow ? "throw \(destination)" : destination
                // IPv6 throw routes hang off lo in the kernel: not a fact of ours.
                if !isThrow, let dev = words.firstIndex(of: "dev") { text += " dev \(words[dev + 1])" }
                if let proto = words.firstIndex(of: "proto") {
                    text += " proto \(words[proto + 1] == "wgmesh" ? "119" : words[proto + 1])"
                }
                routes.insert(text)
            }
        }
        return routes
    }

    /// The rules leading to `table`, per family, as `ip rule show` prints them.
    static func rules(table: UInt32, family: String) -> [String] {
        tool("ip", family, "rule", "show").split(separator: "\n").map(String.init)
            .filter { $0.contains("lookup \(table)") }
    }

    /// A fresh public key nobody else has.
    static func key() -> WireGuardKey { Curve25519.KeyAgreement.PrivateKey().publicKey }
}

/// A plan for tests: three peers, both families, routes to them plus one
/// throw route per family, and tunnel addresses.
struct DataplaneFixture {
    /// Fixtures made so far in this process.
    private static let made = Atomic<Int>(0)

    let privateKey = Curve25519.KeyAgreement.PrivateKey()
    /// A port of its own: suites run in parallel in one namespace, and two devices up on one
    /// port fail with EADDRINUSE (seen in the VM: RotationKickLiveTests beside this suite).
    let listenPort = UInt16(30_000 + (Int(getpid()) % 1_000) * 20 + DataplaneFixture.made.add(1, ordering: .relaxed).oldValue % 20)
    var peers: [DesiredPeer]
    var routes: [PlannedRoute]
    var addresses: [IPNetwork]

    init(fwmark: UInt32 = 0x0010_0000) throws {
        peers = try (0..<3).map { i in
            DesiredPeer(publicKey: DataplaneLive.key(), endpoint: try Endpoint("192.0.2.\(i + 1):51820"),
                        persistentKeepalive: i == 0 ? 25 : 0,
                        allowedIPs: [try IPNetwork("10.244.\(i).0/26"), try IPNetwork("10.245.0.\(i + 1)/32"),
                                     try IPNetwork("fd00:244:\(i)::/64")])
        }
        routes = try peers.flatMap { peer in
            try peer.allowedIPs.map { try PlannedRoute(IPNetwork($0.description), .wireGuard) }
        }
        routes += [PlannedRoute(try IPNetwork("10.244.128.0/24"), .throw),
                   PlannedRoute(try IPNetwork("fd00:244:80::/64"), .throw)]
        routes.sort()
        addresses = [try IPNetwork("10.245.0.99/32"), try IPNetwork("fd00:245::99/128")]
    }

    /// The plan with the current peers, routes and addresses.
    var plan: MeshPlan {
        MeshPlan(device: DesiredDevice(privateKey: privateKey.secret, listenPort: listenPort, fwmark: 0x0010_0000,
                                       peers: peers),
                 interfaceAddresses: addresses, mtu: 1380, routes: routes, ruleFamilies: [.v4, .v6])
    }

    /// The routes `ip route show` should list for the plan on `name`.
    func expectedRoutes(on name: InterfaceName) -> Set<String> {
        Set(routes.map { route in
            route.action == .throw ? "throw \(route.destination) proto 119" : "\(route.destination) dev \(name) proto 119"
        })
    }
}
