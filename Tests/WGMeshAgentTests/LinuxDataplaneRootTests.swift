import Glibc
import Testing
import WGMeshAgent
import WGMeshCore
import WGMeshTestSupport

/// The real dataplane against wireguard-go (host) or the kernel (VM), every
/// result read back with `wg show` and `ip`:
///
///     scripts/netns env WGMESH_ROOT_TESTS=1 WGMESH_USERSPACE_TESTS=1 \
///         .build/debug/wgmeshPackageTests.xctest --testing-library swift-testing --filter LinuxDataplane
@Suite(.serialized, .enabled(if: DataplaneLive.enabled, "set WGMESH_ROOT_TESTS=1 and WGMESH_USERSPACE_TESTS=1 (root, netns)"))
struct LinuxDataplaneRootTests {
    /// A prepared dataplane with its own interface, table and state folder; cleaned up after `body`.
    func withDataplane(_ body: (LinuxDataplane, DataplaneSettings) throws -> Void) throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-dataplane")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let settings = DataplaneLive.settings(stateDirectory: directory)
        let dataplane = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
        defer { _ = try? dataplane.cleanup() }
        try body(dataplane, settings)
    }

    @Test func createsThenAdoptsWithoutChangingAnything() throws {
        try withDataplane { dataplane, settings in
            let name = settings.interfaceName
            let first = try dataplane.prepareInterface()
            #expect(first.created)
            #expect(first.device.name == name.rawValue)
            // In the VM backend auto must pick the module; on the host there is only wireguard-go.
            #expect(first.kind == (DataplaneLive.flag("WGMESH_KERNEL_TESTS") ? .kernel : .userspace))
            try dataplane.apply(try DataplaneFixture().plan, verify: true)
            // wireguard-go lists peers in map order: compare them as a set, and the device line.
            let before = DataplaneLive.peers(name)
            let header = DataplaneLive.tool("wg", "show", name.rawValue, "dump").split(separator: "\n").first
            let routes = DataplaneLive.routes(table: settings.routingTable)

            // A restarted daemon: a new dataplane over the same interface.
            let again = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
            let adopted = try again.prepareInterface()
            #expect(!adopted.created)
            #expect(adopted.kind == first.kind)
            #expect(adopted.device.peers.count == 3)
            #expect(DataplaneLive.peers(name) == before)
            #expect(DataplaneLive.tool("wg", "show", name.rawValue, "dump").split(separator: "\n").first == header)
            #expect(DataplaneLive.routes(table: settings.routingTable) == routes)
            #expect(Sysctl.read(["net", "ipv4", "ip_forward"]) == "1")
        }
    }

    @Test func refusesAnInterfaceThatIsNotWireGuard() throws {
        let settings = DataplaneLive.settings(stateDirectory: nil)
        let name = settings.interfaceName.rawValue
        DataplaneLive.tool("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p")
        defer { DataplaneLive.tool("ip", "link", "del", name) }
        let dataplane = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
        let error = try #require(throws: AgentError.self) { try dataplane.prepareInterface() }
        #expect(error.code == .hostNetwork)
        #expect(error.reason.contains("\(name) exists but is not a WireGuard interface"))
        #expect(error.reason.contains("--interface"))
        #expect(DataplaneLive.tool("ip", "-d", "-o", "link", "show", name).contains("veth"))
    }

    @Test func appliesExactlyThePlanAndThenNothing() throws {
        try withDataplane { dataplane, settings in
            let name = settings.interfaceName
            _ = try dataplane.prepareInterface()
            let fixture = try DataplaneFixture()
            let summary = try dataplane.apply(fixture.plan, verify: false)
            #expect(summary.peersAdded == 3)
            #expect(summary.routesAdded == fixture.routes.count)
            #expect(summary.peersChanged == 0 && summary.peersRemoved == 0 && summary.routesRemoved == 0)

            var expected: [String: String] = [:]
            for peer in fixture.peers { expected[peer.publicKey.base64] = DataplaneLive.line(peer) }
            #expect(DataplaneLive.peers(name) == expected)
            let header = DataplaneLive.tool("wg", "show", name.rawValue, "dump").split(separator: "\n")[0]
                .split(separator: "\t").map(String.init)
            #expect(header[1] == fixture.privateKey.publicKey.base64)
            #expect(header[2] == "\(fixture.listenPort)")
            #expect(header[3] == "0x100000")

            #expect(DataplaneLive.routes(table: settings.routingTable) == fixture.expectedRoutes(on: name))
            for family in ["-4", "-6"] {
                let rules = DataplaneLive.rules(table: settings.routingTable, family: family)
                #expect(rules.count == 1, "\(family): \(rules)")
                #expect(rules.first?.hasPrefix("\(settings.rulePriority):") == true)
                #expect(rules.first?.contains("not from all fwmark 0x100000/0x100000 lookup \(settings.routingTable)") == true)
            }
            let link = DataplaneLive.tool("ip", "-o", "link", "show", name.rawValue)
            #expect(link.contains("mtu 1380"))
            #expect(link.contains(",UP") || link.contains("<UP"))
            let addresses = DataplaneLive.tool("ip", "-o", "addr", "show", "dev", name.rawValue)
            #expect(addresses.contains("inet 10.245.0.99/32"))
            #expect(addresses.contains("inet6 fd00:245::99/128"))
            #expect(addresses.split(separator: "\n").filter { $0.contains("scope global") }.count == 2)

            #expect(try dataplane.apply(fixture.plan, verify: false).isEmpty)
            #expect(try dataplane.apply(fixture.plan, verify: true).isEmpty)
            #expect(DataplaneLive.peers(name) == expected)
        }
    }

    @Test func oneChangedPeerTouchesOnlyThatPeer() throws {
        try withDataplane { dataplane, settings in
            let name = settings.interfaceName
            _ = try dataplane.prepareInterface()
            var fixture = try DataplaneFixture()
            try dataplane.apply(fixture.plan, verify: true)
            let before = DataplaneLive.peers(name)

            fixture.peers[1].allowedIPs.append(try IPNetwork("10.246.1.0/26"))
            var expectedSummary = ApplySummary()
            expectedSummary.peersChanged = 1
            #expect(try dataplane.apply(fixture.plan, verify: false) == expectedSummary)

            let after = DataplaneLive.peers(name)
            for (index, peer) in fixture.peers.enumerated() {
                let key = peer.publicKey.base64
                if index == 1 {
                    #expect(after[key] == DataplaneLive.line(peer))
                } else {
                    #expect(after[key] == before[key], "peer \(index) changed")
                }
            }
            #expect(try dataplane.apply(fixture.plan, verify: true).isEmpty)
        }
    }

    @Test func foreignPeersAndRoutesSurviveAndDriftIsRepaired() throws {
        try withDataplane { dataplane, settings in
            let name = settings.interfaceName
            let table = "\(settings.routingTable)"
            _ = try dataplane.prepareInterface()
            let fixture = try DataplaneFixture()
            try dataplane.apply(fixture.plan, verify: true)

            let foreign = DataplaneLive.key().base64
            DataplaneLive.tool("wg", "set", name.rawValue, "peer", foreign, "allowed-ips", "10.99.0.1/32")
            DataplaneLive.tool("ip", "route", "add", "throw", "10.98.0.0/24", "table", table, "proto", "static")
            defer { DataplaneLive.tool("ip", "route", "del", "throw", "10.98.0.0/24", "table", table) }
            #expect(try dataplane.apply(fixture.plan, verify: true).isEmpty)
            #expect(try dataplane.apply(fixture.plan, verify: false).isEmpty)
            #expect(DataplaneLive.peers(name)[foreign] != nil)
            #expect(DataplaneLive.routes(table: settings.routingTable).contains("throw 10.98.0.0/24 proto static"))

            // Drift: a route and a peer of ours deleted by hand.
            let lost = fixture.peers[2]
            DataplaneLive.tool("wg", "set", name.rawValue, "peer", lost.publicKey.base64, "remove")
            DataplaneLive.tool("ip", "route", "del", "10.244.1.0/26", "table", table)
            var expectedSummary = ApplySummary()
            expectedSummary.peersAdded = 1
            expectedSummary.routesAdded = 1
            #expect(try dataplane.apply(fixture.plan, verify: true) == expectedSummary)

            var expected: [String: String] = [:]
            for peer in fixture.peers { expected[peer.publicKey.base64] = DataplaneLive.line(peer) }
            expected[foreign] = "(none) 10.99.0.1/32 off"
            #expect(DataplaneLive.peers(name) == expected)
            #expect(DataplaneLive.routes(table: settings.routingTable)
                == fixture.expectedRoutes(on: name).union(["throw 10.98.0.0/24 proto static"]))
        }
    }

    @Test func peersOfOursAreRememberedAcrossARestart() throws {
        try withDataplane { dataplane, settings in
            let name = settings.interfaceName
            _ = try dataplane.prepareInterface()
            var fixture = try DataplaneFixture()
            try dataplane.apply(fixture.plan, verify: true)
            let file = try #require(settings.stateDirectory) + "/peers"
            let listed = try runProcess("/bin/cat", [file]).standardOutput.split(separator: "\n").map(String.init)
            #expect(Set(listed) == Set(fixture.peers.map(\.publicKey.base64)))
            #expect(try runProcess("/usr/bin/stat", ["-c", "%a", file]).standardOutput == "600\n")

            // The restarted daemon's plan no longer has peer 0: the file says it is ours, so it goes.
            let restarted = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
            _ = try restarted.prepareInterface()
            let dropped = fixture.peers.removeFirst()
            let summary = try restarted.apply(fixture.plan, verify: false)
            #expect(summary.peersRemoved == 1)
            #expect(DataplaneLive.peers(name)[dropped.publicKey.base64] == nil)
            #expect(DataplaneLive.peers(name).count == 2)
        }
    }

    @Test func withoutAStateFolderEarlierPeersLookForeign() throws {
        try withDataplane { dataplane, settings in
            _ = try dataplane.prepareInterface()
            var fixture = try DataplaneFixture()
            try dataplane.apply(fixture.plan, verify: true)
            var memoryOnly = settings
            memoryOnly.stateDirectory = nil
            let restarted = LinuxDataplane(settings: memoryOnly, logger: DataplaneLive.logger())
            let kept = fixture.peers.removeFirst()
            #expect(try restarted.apply(fixture.plan, verify: true).peersRemoved == 0)
            #expect(DataplaneLive.peers(settings.interfaceName)[kept.publicKey.base64] != nil)
        }
    }

    @Test func droppingAFamilyRemovesItsRuleAndRoutes() throws {
        try withDataplane { dataplane, settings in
            _ = try dataplane.prepareInterface()
            var fixture = try DataplaneFixture()
            try dataplane.apply(fixture.plan, verify: false)
            fixture.routes.removeAll { $0.destination.address.family == .v6 }
            for index in fixture.peers.indices {
                fixture.peers[index].allowedIPs.removeAll { $0.address.family == .v6 }
            }
            var plan = fixture.plan
            plan.ruleFamilies = [.v4]
            let summary = try dataplane.apply(plan, verify: false)
            #expect(summary.routesRemoved == 4)
            #expect(summary.peersChanged == 3)
            #expect(DataplaneLive.rules(table: settings.routingTable, family: "-6").isEmpty)
            #expect(DataplaneLive.rules(table: settings.routingTable, family: "-4").count == 1)
            #expect(DataplaneLive.routes(table: settings.routingTable) == fixture.expectedRoutes(on: settings.interfaceName))
            #expect(try dataplane.apply(plan, verify: true).isEmpty)
        }
    }

    @Test func cleanupRemovesOnlyWhatIsOursAndTwiceIsFine() throws {
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-dataplane")
        defer { _ = try? runProcess("/bin/rm", ["-rf", directory]) }
        let settings = DataplaneLive.settings(stateDirectory: directory)
        let name = settings.interfaceName
        let table = "\(settings.routingTable)"
        let dataplane = LinuxDataplane(settings: settings, logger: DataplaneLive.logger())
        _ = try dataplane.prepareInterface()
        let fixture = try DataplaneFixture()
        try dataplane.apply(fixture.plan, verify: true)
        DataplaneLive.tool("ip", "route", "add", "throw", "10.98.0.0/24", "table", table, "proto", "static")
        defer { DataplaneLive.tool("ip", "route", "del", "throw", "10.98.0.0/24", "table", table) }

        let removed = try dataplane.cleanup()
        #expect(removed.filter { $0.hasPrefix("removed rule") }.count == 2)
        #expect(removed.filter { $0.hasPrefix("removed route") }.count == fixture.routes.count)
        #expect(removed.contains("removed route 10.244.0.0/26 table \(table)"))
        #expect(removed.contains { $0.hasPrefix("removed interface \(name)") && $0.contains("3 peers") })
        #expect(removed.contains("removed \(directory)/peers"))

        #expect(!DataplaneLive.succeeds("ip", "link", "show", name.rawValue))
        #expect(DataplaneLive.routes(table: settings.routingTable) == ["throw 10.98.0.0/24 proto static"])
        #expect(DataplaneLive.rules(table: settings.routingTable, family: "-4").isEmpty)
        #expect(DataplaneLive.rules(table: settings.routingTable, family: "-6").isEmpty)
        #expect(access("\(directory)/peers", F_OK) != 0)
        #expect(try dataplane.cleanup() == [])
    }
}
