import Glibc
import Testing
import WGMeshCore
@testable import WGMeshRouting

/// Against the host kernel, as root, inside a throwaway network namespace:
///
///     swift build --build-tests
///     unshare --net env WGMESH_ROOT_TESTS=1 swift test --skip-build --filter WGMeshRoutingTests
///
/// Links are `ifb` (this host's kernel has no `dummy`); every change is
/// checked with `ip` as well as with our own listing. Serialized, because the
/// rule and route tables are shared by the whole namespace.
@Suite(.serialized, .enabled(if: getenv("WGMESH_ROOT_TESTS").map { String(cString: $0) } == "1"))
struct RoutingRootTests {
    let client: RoutingClient

    init() throws {
        client = try RoutingClient()
        // Loopback down makes IPv6 route adds fail in a fresh namespace.
        try client.setLink(named: "lo", up: true)
    }

    /// A fresh `ifb` link, deleted again when `body` returns.
    func withLink(_ name: InterfaceName, _ body: (Link) throws -> Void) throws {
        if (try? client.link(named: name)) != nil { try client.deleteLink(named: name) }
        try client.createLink(named: name, kind: "ifb")
        defer { try? client.deleteLink(named: name) }
        try body(try client.link(named: name))
    }

    @Test func linkLifecycle() throws {
        try withLink("wgmt-link") { link in
            #expect(link.kind == "ifb")
            #expect(!link.isUp)
            try client.setLink(named: "wgmt-link", mtu: 1380, up: true)
            let changed = try client.link(named: "wgmt-link")
            #expect(changed.mtu == 1380)
            #expect(changed.isUp)
            #expect(try client.links().contains(changed))
            let shown = run("ip", "-o", "link", "show", "dev", "wgmt-link").output
            #expect(shown.contains("mtu 1380"))
            #expect(shown.contains(",UP"))
            try client.setLink(named: "wgmt-link", up: false)
            #expect(try !client.link(named: "wgmt-link").isUp)

            let duplicate = try #require(throws: RoutingError.self) {
                try client.createLink(named: "wgmt-link", kind: "ifb")
            }
            #expect(duplicate.code == .exists)
        }
        let gone = try #require(throws: RoutingError.self) { try client.link(named: "wgmt-link") }
        #expect(gone.code == .noSuchLink)
        #expect(run("ip", "link", "show", "dev", "wgmt-link").status != 0)
    }

    /// Whether `ip` can create a WireGuard link here: false on this host, true in the VM.
    static let kernelHasWireGuard: Bool = {
        guard getenv("WGMESH_ROOT_TESTS").map({ String(cString: $0) }) == "1" else { return false }
        let created = run("sh", "-c", "ip link add wgmt-probe type wireguard 2>/dev/null").status == 0
        if created { _ = run("ip", "link", "del", "wgmt-probe") }
        return created
    }()

    @Test(.enabled(if: !kernelHasWireGuard, "this kernel has WireGuard"))
    func wireGuardLinkWithoutTheModuleIsUnsupported() throws {
        let error = try #require(throws: RoutingError.self) { try client.createWireGuardLink(named: "wgmt-wg") }
        #expect(error.code == .unsupportedLinkKind)
        #expect(error.errno == EOPNOTSUPP)
        #expect((try? client.link(named: "wgmt-wg")) == nil)
    }

    /// Runs in the VM (scripts/vmtest), where the module is loaded.
    @Test(.enabled(if: kernelHasWireGuard, "this kernel has no WireGuard module"))
    func wireGuardLinkIsCreatedWhenTheKernelHasIt() throws {
        try client.createWireGuardLink(named: "wgmt-wg")
        defer { try? client.deleteLink(named: "wgmt-wg") }
        let link = try client.link(named: "wgmt-wg")
        #expect(link.kind == "wireguard")
        #expect(link.mtu == 1420)
        #expect(run("ip", "-d", "link", "show", "dev", "wgmt-wg").output.contains("wireguard"))
        let duplicate = try #require(throws: RoutingError.self) { try client.createWireGuardLink(named: "wgmt-wg") }
        #expect(duplicate.code == .exists)
    }

    @Test func addressesWithoutPrefixRoutes() throws {
        try withLink("wgmt-addr") { link in
            try client.setLink(named: "wgmt-addr", up: true)
            let v4 = try IPNetwork("10.77.0.1/24")
            let v6 = try IPNetwork("fd77::1/64")
            try client.addAddress(v4, to: "wgmt-addr")
            try client.addAddress(v6, to: "wgmt-addr")

            let listed = try client.addresses(on: "wgmt-addr")
            #expect(listed.contains { $0.network == v4 && $0.hasNoPrefixRoute && $0.interfaceIndex == link.index })
            #expect(listed.contains { $0.network == v6 && $0.hasNoPrefixRoute })
            let shown = run("ip", "-o", "addr", "show", "dev", "wgmt-addr").output
            #expect(shown.contains("inet 10.77.0.1/24"))
            #expect(shown.contains("inet6 fd77::1/64"))
            #expect(shown.contains("noprefixroute"))
            // The point of IFA_F_NOPREFIXROUTE: no 10.77.0.0/24 route appears in main.
            #expect(!run("ip", "route", "show", "table", "main").output.contains("10.77.0.0/24"))

            let again = try #require(throws: RoutingError.self) { try client.addAddress(v4, to: "wgmt-addr") }
            #expect(again.code == .exists)
            try client.removeAddress(v4, from: "wgmt-addr")
            try client.removeAddress(v6, from: "wgmt-addr")
            #expect(try client.addresses(on: "wgmt-addr").allSatisfy { $0.network != v4 && $0.network != v6 })
            #expect(!run("ip", "-o", "addr", "show", "dev", "wgmt-addr").output.contains("10.77.0.1"))
        }
    }

    @Test(arguments: [UInt32(1000), 100])
    func routesInOurTable(table: UInt32) throws {
        try withLink("wgmt-route") { link in
            try client.setLink(named: "wgmt-route", up: true)
            let desired = [
                Route(destination: try IPNetwork("10.88.0.0/24"), table: table, outputInterface: link.index),
                Route(destination: try IPNetwork("10.88.1.0/24"), table: table, type: .throw),
                Route(destination: try IPNetwork("fd88::/64"), table: table, outputInterface: link.index,
                      metric: Route.ipv6DefaultMetric),
                Route(destination: try IPNetwork("fd88:1::/64"), table: table, type: .throw,
                      metric: Route.ipv6DefaultMetric),
            ]
            for route in desired { try client.addRoute(route) }
            defer { for route in desired { try? client.deleteRoute(route) } }

            // Read back equal, field by field, and only ours carry our protocol.
            let ours = try client.routes(table: table, protocol: .wgmesh)
            #expect(Set(ours) == Set(desired))
            #expect(try client.routes(table: table, family: .v6).count == 2)

            let shown4 = run("ip", "route", "show", "table", "\(table)").output
            #expect(shown4.contains("10.88.0.0/24 dev wgmt-route proto 119 scope link"))
            #expect(shown4.contains("throw 10.88.1.0/24 proto 119"))
            let shown6 = run("ip", "-6", "route", "show", "table", "\(table)").output
            #expect(shown6.contains("fd88::/64 dev wgmt-route proto 119"))
            #expect(shown6.contains("throw fd88:1::/64"))

            let duplicate = try #require(throws: RoutingError.self) { try client.addRoute(desired[0]) }
            #expect(duplicate.code == .exists)
            // Replace is idempotent: same route, no error, still one entry.
            try client.replaceRoute(desired[0])
            #expect(try client.routes(table: table, family: .v4).count == 2)

            try client.deleteRoute(desired[1])
            #expect(!run("ip", "route", "show", "table", "\(table)").output.contains("10.88.1.0/24"))
            let missing = try #require(throws: RoutingError.self) { try client.deleteRoute(desired[1]) }
            #expect(missing.code == .notFound)
        }
    }

    @Test func rulesReadBackEqualAndDeleteByValue() throws {
        let rules = [
            Rule(family: .v4, priority: 99, table: 1000, fwmark: 0x10_0000, fwmask: 0x10_0000, invert: true),
            Rule(family: .v6, priority: 99, table: 1000, fwmark: 0x10_0000, fwmask: 0x10_0000, invert: true),
            Rule(family: .v4, priority: 98, table: 1000, fwmark: 0, fwmask: 0x20_0000),
            Rule(family: .v4, priority: 100, table: Route.mainTable, suppressPrefixLength: 0),
            Rule(family: .v4, priority: 101, table: 51820, fwmark: 51820, invert: true, protocol: .wgmesh),
        ]
        for rule in rules { try client.addRule(rule) }
        defer { for rule in rules { try? client.deleteRule(rule) } }

        let listed = try client.rules()
        for rule in rules { #expect(listed.contains(rule), "\(rule) did not read back equal") }
        let shown = run("ip", "rule", "show").output
        #expect(shown.contains("99:\tnot from all fwmark 0x100000/0x100000 lookup 1000"))
        #expect(shown.contains("98:\tfrom all fwmark 0/0x200000 lookup 1000"))
        #expect(shown.contains("100:\tfrom all lookup main suppress_prefixlength 0"))
        #expect(run("ip", "-6", "rule", "show").output.contains("99:\tnot from all fwmark 0x100000/0x100000 lookup 1000"))

        let duplicate = try #require(throws: RoutingError.self) { try client.addRule(rules[0]) }
        #expect(duplicate.code == .exists)
        try client.deleteRule(rules[0])
        #expect(!run("ip", "rule", "show").output.contains("99:"))
        #expect(try !client.rules(family: .v4).contains(rules[0]))
        #expect(try client.rules(family: .v6).contains(rules[1]))
    }
}
