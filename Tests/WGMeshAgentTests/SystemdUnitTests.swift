import Glibc
import Testing
import WGMeshTestSupport
@testable import WGMeshAgent

/// The unit files: `systemd-analyze verify` accepts them, and they agree
/// with the daemon's defaults and with each other.
@Suite struct SystemdUnitTests {
    static let debugDaemon = UnitFileForTests.packageRoot + "/.build/debug/wgmeshd"

    /// Copies of the units with ExecStart= pointing at the debug build
    /// (verify refuses a command that does not exist), in a fresh folder.
    static func unitCopies() throws -> (directory: String, daemon: String, template: String) {
        try #require(access(debugDaemon, X_OK) == 0, "\(debugDaemon) is missing: run swift build --build-tests")
        let directory = try makeTemporaryDirectory(prefix: "wgmesh-units")
        let daemon = directory + "/wgmeshd.service"
        let template = directory + "/wgmesh-wireguard-go@wgmesh0.service"
        let unit = try UnitFileForTests.load("wgmeshd.service").text
        try UnitFileForTests.writeText(unit.replacing("/usr/local/bin/wgmeshd", with: debugDaemon), to: daemon)
        var wireguardGo = try UnitFileForTests.load("wgmesh-wireguard-go@.service").text
        if access("/usr/bin/wireguard-go", X_OK) != 0 {
            // Not installed here: any program lets verify check the rest.
            wireguardGo = wireguardGo.replacing("/usr/bin/wireguard-go", with: debugDaemon)
        }
        try UnitFileForTests.writeText(wireguardGo, to: template)
        return (directory, daemon, template)
    }

    /// Both units verify with no warning at all (verify exits 0 on an
    /// unknown key, so its output must be empty too).
    @Test func unitsPassSystemdAnalyzeVerify() throws {
        try #require(access("/usr/bin/systemd-analyze", X_OK) == 0, "systemd-analyze is missing: apt-get install systemd")
        let copies = try Self.unitCopies()
        defer { _ = try? runProcess("/bin/rm", ["-rf", copies.directory]) }
        for unit in [copies.daemon, copies.template] {
            let result = try runProcess("/usr/bin/systemd-analyze", ["verify", "--man=no", unit])
            #expect(result.status == 0, "\(unit): \(result.standardError)")
            #expect(result.standardError.isEmpty, "\(unit): \(result.standardError)")
            #expect(result.standardOutput.isEmpty, "\(unit): \(result.standardOutput)")
        }
    }

    /// verify does catch mistakes: the same check fails on a broken copy.
    @Test func verifyRejectsABrokenUnit() throws {
        let copies = try Self.unitCopies()
        defer { _ = try? runProcess("/bin/rm", ["-rf", copies.directory]) }
        let broken = copies.directory + "/broken.service"
        let text = try UnitFileForTests.readText(copies.daemon)
        try UnitFileForTests.writeText(text.replacing(Self.debugDaemon, with: copies.directory + "/nowhere"), to: broken)
        let result = try runProcess("/usr/bin/systemd-analyze", ["verify", "--man=no", broken])
        #expect(result.status != 0)
        #expect(result.standardError.contains("nowhere"))
    }

    @Test func daemonUnitIsANotifyServiceWithAWatchdog() throws {
        let unit = try UnitFileForTests.load("wgmeshd.service").unit
        #expect(unit.value("Type") == "notify")
        #expect(unit.value("NotifyAccess") == "main")
        #expect(unit.value("ExecStart") == "/usr/local/bin/wgmeshd")
        #expect(unit.value("Restart") == "on-failure")
        #expect(unit.value("WatchdogSec") == "30s")
        #expect(unit.value("EnvironmentFile") == "-/etc/wgmesh/wgmeshd.env")
    }

    /// The directories systemd makes are the ones the daemon uses.
    @Test func directoriesMatchTheDaemonsDefaults() throws {
        let unit = try UnitFileForTests.load("wgmeshd.service").unit
        let state = "/var/lib/" + (unit.value("StateDirectory") ?? "")
        let runtime = "/run/" + (unit.value("RuntimeDirectory") ?? "")
        #expect(state == AgentConfig.defaultStateDirectory)
        #expect(unit.environment["WGMESH_STATE_DIR"] == state)
        #expect(AgentConfig.defaultControlSocket.hasPrefix(runtime + "/"))
        #expect(unit.environment["WGMESH_CONTROL_SOCKET"] == AgentConfig.defaultControlSocket)
        #expect(unit.value("StateDirectoryMode") == "0700", "the private key lives there")
        #expect(unit.value("ConfigurationDirectory") == "wgmesh")
    }

    @Test func hardeningKeepsOnlyWhatTheDaemonUses() throws {
        let unit = try UnitFileForTests.load("wgmeshd.service").unit
        #expect(unit.value("CapabilityBoundingSet")?.split(separator: " ").sorted() == ["CAP_NET_ADMIN", "CAP_SYS_ADMIN"])
        for (key, value) in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                             ("PrivateTmp", "yes"), ("MemoryDenyWriteExecute", "yes"), ("ProtectKernelTunables", "yes"),
                             ("RestrictNamespaces", "net"), ("SystemCallArchitectures", "native")]
        {
            #expect(unit.value(key) == value, "\(key)")
        }
        // Forwarding and proxy ARP are written under /proc/sys/net; wireguard-go's sockets live in /run/wireguard.
        #expect(unit.values("ReadWritePaths").contains("/proc/sys/net"))
        #expect(unit.values("ReadWritePaths").contains("-/run/wireguard"))
        #expect(unit.value("RestrictAddressFamilies")?.split(separator: " ").sorted()
                    == ["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"])
        #expect(unit.value("DeviceAllow") == "/dev/net/tun rw")
    }

    /// The wireguard-go unit runs before the daemon, in the foreground, and
    /// is not stopped with it.
    @Test func wireguardGoUnitOutlivesTheDaemon() throws {
        let unit = try UnitFileForTests.load("wgmesh-wireguard-go@.service").unit
        #expect(unit.value("ExecStart") == "/usr/bin/wireguard-go --foreground %i")
        #expect(unit.value("Before", in: "Unit") == "wgmeshd.service")
        #expect(unit.value("WantedBy", in: "Install") == "wgmeshd.service")
        #expect(unit.value("PartOf", in: "Unit") == nil)
        #expect(unit.value("BindsTo", in: "Unit") == nil)
        #expect(unit.value("RuntimeDirectoryPreserve") == "yes")
        #expect(unit.value("CapabilityBoundingSet") == "CAP_NET_ADMIN")
    }

    /// scripts/install-units puts every file where the unit looks for it,
    /// with the environment file private, and never overwrites that file.
    @Test func installScriptPlacesFilesWhereTheUnitExpectsThem() throws {
        let root = try makeTemporaryDirectory(prefix: "wgmesh-install")
        defer { _ = try? runProcess("/bin/rm", ["-rf", root]) }
        let script = UnitFileForTests.packageRoot + "/scripts/install-units"
        let binaries = UnitFileForTests.packageRoot + "/.build/debug"
        let first = try runProcess(script, ["--bin-dir", binaries, "--root", root])
        #expect(first.status == 0, "\(first.standardError)")
        let unit = try UnitFileForTests.load("wgmeshd.service").unit
        let expected: [(String, mode_t)] = [
            (try #require(unit.value("ExecStart")), 0o755), ("/usr/local/bin/wgmesh", 0o755),
            ("/etc/systemd/system/wgmeshd.service", 0o644), ("/etc/systemd/system/wgmesh-wireguard-go@.service", 0o644),
            (String(try #require(unit.value("EnvironmentFile")).dropFirst()), 0o600),
        ]
        for (path, mode) in expected {
            var info = stat()
            #expect(stat(root + path, &info) == 0, "\(path) is missing")
            #expect(info.st_mode & 0o777 == mode, "\(path)")
        }
        try UnitFileForTests.writeText("WGMESH_DATASTORE=etcd://10.0.0.1:2379\n", to: root + "/etc/wgmesh/wgmeshd.env")
        let second = try runProcess(script, ["--bin-dir", binaries, "--root", root])
        #expect(second.status == 0)
        #expect(try UnitFileForTests.readText(root + "/etc/wgmesh/wgmeshd.env") == "WGMESH_DATASTORE=etcd://10.0.0.1:2379\n")
        let missing = try runProcess(script, ["--bin-dir", root + "/none", "--root", root])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("swift build -c release"))
    }

    /// Every variable in the example file, set or commented out, is one
    /// the daemon accepts with that value.
    @Test func environmentExampleLoads() throws {
        let text = try UnitFileForTests.readText(UnitFileForTests.packageRoot + "/systemd/wgmeshd.env.example")
        var variables: [(String, String)] = []
        for line in text.split(separator: "\n") {
            let assignment = line.hasPrefix("#WGMESH_") ? line.dropFirst() : line
            guard assignment.hasPrefix("WGMESH_"), let equals = assignment.firstIndex(of: "=") else { continue }
            variables.append((String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...])))
        }
        #expect(variables.count >= 10)
        for (name, value) in variables {
            do {
                _ = try AgentConfigLoader.load(flags: AgentConfigFlags(),
                                               environment: ["WGMESH_DATASTORE": "sqlite:///tmp/x.db"].merging([name: value]) { _, new in new },
                                               file: nil, hostname: "host")
            } catch {
                Issue.record("\(name)=\(value): \(error.reason)")
            }
        }
    }
}
