import Glibc
import Testing
import WGMeshTestSupport

/// The control socket of a real wgmeshd under load: a crowd of clients that connect and say
/// nothing, and a node with 10,000 peers whose status reply is megabytes long.
///
/// Before the control server moved to SwiftNIO it served one connection at a time and waited up
/// to 2 s on each: 200 silent clients made `wgmesh status` give up after its 5 s timeout, and a
/// 10,000-peer reply (3.1 MB) exceeded the CLI's 1 MiB limit.
@Suite(.serialized, .enabled(if: MeshHarnessGate.enabled))
struct MeshControlTests {
    /// The tag of this suite's meshes.
    static let tag = "k"

    static let wgmesh = MeshHarness.repositoryRoot + "/.build/debug/wgmesh"
    static let dstool = MeshHarness.repositoryRoot + "/.build/debug/wgmesh-dstool"

    @Test("200 silent connections do not delay status; 10,000 peers get their whole status")
    func crowdAndTenThousandPeers() throws {
        let mesh = try MeshHarness.up(Self.tag, datastore: .sqlite, nodes: 2, pods: 1)
        defer { mesh.down() }
        let socketPath = mesh.directory + "/n1/wgmeshd.sock"

        // The crowd: 200 connections that never send a byte, all held open.
        let crowd = try (0..<200).map { _ in try Self.connect(to: socketPath) }
        defer { crowd.forEach { close($0) } }
        // --timeout 1: the CLI itself fails (exit 3) unless the answer comes within a second.
        let status = try runProcess(Self.wgmesh, ["status", "-o", "json", "--timeout", "1",
                                                  "--control-socket", socketPath])
        #expect(status.status == 0, "status behind 200 silent clients: \(status.standardError)")
        #expect(try Self.peerCount(status.standardOutput) == 1)
        // The crowd is still connected (held, not refused): each fd reads nothing yet.
        #expect(crowd.allSatisfy { Self.stillOpen($0) })

        // 10,000 bogus but valid Node records, written straight into the datastore.
        let url = "sqlite://" + mesh.directory + "/datastore.db"
        let seeded = try runProcess(Self.dstool, ["seed-nodes", url, "10000"])
        try #require(seeded.status == 0, "seed-nodes: \(seeded.standardError)")
        let interface = mesh.interfaceName(1)
        try eventuallyBlocking("n1 has 10,001 peers", timeout: .seconds(300), poll: .milliseconds(500)) {
            let dump = try mesh.nodeExec(1, ["wg", "show", interface, "peers"])
            return dump.lines.count == 10_001
        }
        let big = try runProcess(Self.wgmesh, ["status", "-o", "json", "--timeout", "60",
                                               "--control-socket", socketPath])
        #expect(big.standardError.isEmpty, "\(big.standardError.prefix(500))")
        #expect(big.standardOutput.utf8.count > 1 << 20, "the reply is larger than the old 1 MiB limit")
        #expect(try Self.peerCount(big.standardOutput) == 10_001)
    }

    @Test("a stopped wireguard-go: status says so in time, a rotation is refused at once, both recover")
    func stoppedWireGuardGo() throws {
        let mesh = try MeshHarness.up(Self.tag, datastore: .sqlite, nodes: 2, pods: 1)
        defer { mesh.down() }
        let socketPath = mesh.directory + "/n1/wgmeshd.sock"
        let interface = mesh.interfaceName(1)
        let pid = try runProcess("/usr/bin/pgrep", ["-f", "^wireguard-go \(interface)$"]).standardOutput.trimmed
        try #require(Int32(pid) != nil, "no wireguard-go for \(interface)")
        #expect(kill(Int32(pid)!, SIGSTOP) == 0)
        var resumed = false
        defer { if !resumed { kill(Int32(pid)!, SIGCONT) } }

        // Five more nodes: n1's reconciler starts an apply, which blocks on the stopped process.
        let url = "sqlite://" + mesh.directory + "/datastore.db"
        try #require(try runProcess(Self.dstool, ["seed-nodes", url, "5"]).status == 0)
        var refusal = ""
        try eventuallyBlocking("a rotation is refused because an apply is blocked", timeout: .seconds(60)) {
            let rotate = try runProcess(Self.wgmesh, ["rotate-key", "--control-socket", socketPath])
            refusal = rotate.standardError
            return rotate.status != 0 && rotate.standardError.contains("the dataplane has been applying a change")
        }
        #expect(refusal.contains("no key was changed"))

        // Status: the daemon's own answer, well inside the CLI's timeout, naming the cause.
        let status = try runProcess(Self.wgmesh, ["status", "--timeout", "3", "--control-socket", socketPath])
        #expect(status.status == 3)
        #expect(status.standardError.contains("the WireGuard device did not answer a read within 800 ms"),
                "\(status.standardError)")

        #expect(kill(Int32(pid)!, SIGCONT) == 0)
        resumed = true
        try eventuallyBlocking("n1 has its 6 peers", timeout: .seconds(60)) {
            try mesh.nodeExec(1, ["wg", "show", interface, "peers"]).lines.count == 6
        }
        let healthy = try runProcess(Self.wgmesh, ["status", "--control-socket", socketPath])
        #expect(healthy.standardError.isEmpty, "\(healthy.standardError)")
        let rotated = try runProcess(Self.wgmesh, ["rotate-key", "--control-socket", socketPath])
        #expect(rotated.status == 0, "\(rotated.standardError)")
    }

    /// A connected, silent Unix stream socket to `path`.
    static func connect(to path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(connected == 0, "connect \(path): errno \(errno)")
        return fd
    }

    /// Whether the peer has neither closed `fd` nor written to it.
    static func stillOpen(_ fd: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) == 0
    }

    /// The number of peers in a wgmesh.status/v1 document.
    static func peerCount(_ json: String) throws -> Int {
        let counted = try runProcess("/usr/bin/python3", ["-c", "import json,sys; print(len(json.load(sys.stdin)['peers']))"],
                                     input: Array(json.utf8))
        try #require(counted.status == 0, "not a status document: \(json.prefix(300))")
        return Int(counted.standardOutput.trimmed) ?? -1
    }
}
