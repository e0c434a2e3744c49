import Glibc
import Testing
import WGMeshTestSupport

/// The datastores every scenario runs on.
enum MeshDatastore: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case etcd

    var testDescription: String { rawValue }
}

/// A mesh.sh command failed; carries its output so the test log shows why.
struct MeshHarnessError: Error, CustomStringConvertible {
    var description: String
}

/// One mesh built by scripts/lib/mesh.sh: its own folder and name prefix, so
/// it never meets another test's mesh or the demo's.
struct MeshHarness {
    /// The repository root, from this file's path (Tests/WGMeshE2ETests/...).
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The tool every end-to-end test drives.
    static let script = repositoryRoot + "/scripts/lib/mesh.sh"

    /// The backend the host runs (wireguard-go); the VM sets kernel.
    static var backend: String {
        getenv("WGMESH_E2E_BACKEND").map { String(cString: $0) } ?? "userspace"
    }

    /// The state folder.
    let directory: String
    /// The netns and interface prefix (interfaces are `<prefix>w<I>`).
    let prefix: String
    /// Where the mesh keeps its records.
    let datastore: MeshDatastore

    /// Brings up `nodes` nodes with `pods` pods each; `labels` maps a node
    /// number to its labels (`k=v,k=v`), set before the node first starts;
    /// `environment` (`WGMESH_*=value`) goes to every daemon.
    static func up(_ tag: String, datastore: MeshDatastore, nodes: Int, pods: Int = 2,
                   labels: [Int: String] = [:], environment daemonEnvironment: [String] = []) throws -> MeshHarness
    {
        // pid + tag + datastore keeps names unique and short: "e4242cs" + "w1".
        let prefix = "e\(getpid() % 100_000)\(tag)\(datastore.rawValue.prefix(1))"
        let mesh = MeshHarness(directory: try makeTemporaryDirectory(prefix: "wgmesh-e2e"), prefix: prefix,
                               datastore: datastore)
        let environment = labels.sorted { $0.key < $1.key }.map { "MESH_LABELS_n\($0.key)=\($0.value)" }
            + daemonEnvironment
        do {
            _ = try mesh.run(["up", "--nodes", "\(nodes)", "--pods", "\(pods)", "--datastore", datastore.rawValue,
                              "--backend", backend], environment: environment)
        } catch {
            mesh.down()
            throw error
        }
        return mesh
    }

    /// Which WireGuard packets ``blockWireGuard(node:port:directions:)`` drops.
    enum Direction: String { case inbound = "input", outbound = "output" }

    /// Makes node `node`'s firewall (nftables, table `wgmesh_block`) drop
    /// WireGuard UDP to (inbound) or from (outbound) its `port`.
    func blockWireGuard(node: Int, port: Int, directions: [Direction]) throws {
        var rules = ["add table inet wgmesh_block"]
        for direction in directions {
            let chain = direction.rawValue, match = direction == .inbound ? "dport" : "sport"
            rules.append("add chain inet wgmesh_block \(chain) { type filter hook \(chain) priority 0 ; }")
            rules.append("add rule inet wgmesh_block \(chain) udp \(match) \(port) drop")
        }
        for rule in rules { try nodeExec(node, ["nft"] + rule.split(separator: " ").map(String.init)) }
    }

    /// Runs `mesh.sh --dir DIR ARGS` and returns stdout; a failure throws
    /// with stderr (mesh.sh logs each step there, so the failing one shows).
    @discardableResult
    func run(_ arguments: [String], environment: [String] = []) throws -> String {
        let result = try runRaw(arguments, environment: environment)
        guard result.status == 0 else {
            throw MeshHarnessError(description: """
                mesh.sh \(arguments.joined(separator: " ")) exited \(result.status)
                \(result.standardError)\(result.standardOutput)
                """)
        }
        return result.standardOutput
    }

    /// Runs mesh.sh and returns how it went, whatever the status.
    func runRaw(_ arguments: [String], environment: [String] = []) throws -> ProcessResult {
        // Generous readiness timeouts: two cores run the whole mesh.
        let settings = ["MESH_PREFIX=\(prefix)", "MESH_TIMEOUT=120"] + environment
        return try runProcess("/usr/bin/env", settings + ["bash", Self.script, "--dir", directory] + arguments)
    }

    /// Tears the mesh down and removes its folder; never throws, for `defer`.
    func down() {
        _ = try? runRaw(["down"])
        _ = try? runProcess("/bin/rm", ["-rf", directory])
    }

    /// Pod J of node I's address of `family` (4 or 6).
    func podIP(_ node: Int, _ pod: Int, family: Int = 4) throws -> String {
        let text = try run(["pod-ip", "\(node)", "\(pod)", "\(family)"]).trimmed
        guard !text.isEmpty else { throw MeshHarnessError(description: "pod \(pod) of node \(node) has no IPv\(family) address") }
        return text
    }

    /// Whether pod J of node I gets `count` replies from `destination`
    /// within 5 s (ping sends every 0.2 s until then, so a first packet
    /// queued behind a handshake does not fail it).
    func ping(from node: Int, pod: Int, to destination: String, count: Int = 1) throws -> Bool {
        let family = destination.contains(":") ? "-6" : "-4"
        let result = try runRaw(["pod-exec", "\(node)", "\(pod)", "ping", family, "-c", "\(count)", "-i", "0.2",
                                 "-w", "5", "-q", destination])
        return result.status == 0
    }

    /// Every Node in the datastore, by name.
    func nodes() throws -> [String: MeshNode] {
        var nodes: [String: MeshNode] = [:]
        for line in try run(["nodes"]).lines {
            let node = try MeshNode(line: line)
            nodes[node.name] = node
        }
        return nodes
    }

    /// Node I's device as `wg show IF dump` reads it.
    func device(_ node: Int) throws -> WireGuardDump {
        try WireGuardDump(try run(["wg-dump", "\(node)"]))
    }

    /// Node I's WireGuard interface name.
    func interfaceName(_ node: Int) -> String { "\(prefix)w\(node)" }

    /// Runs a command inside node I's namespace and returns stdout.
    @discardableResult
    func nodeExec(_ node: Int, _ command: [String]) throws -> String {
        try run(["node-exec", "\(node)"] + command)
    }

    /// Starts a capture, runs `body`, and returns the counts mesh.sh prints
    /// (`wireguard_udp`, `plaintext_encrypted_pools`, `plaintext_plain_pool`, `total`).
    func capture(_ body: () throws -> Void) throws -> [String: Int] {
        try run(["capture-start"])
        try body()
        return try Self.counts(try run(["capture-stop"]))
    }

    /// Packets of the last capture that match a tcpdump filter.
    func captured(_ filter: String) throws -> Int {
        Int(try run(["capture-count", filter]).trimmed) ?? -1
    }

    /// Runs `body` while pod J of node I pings `destination` every
    /// `interval` seconds; returns (transmitted, received).
    func underTraffic(from node: Int, pod: Int, to destination: String, interval: String = "0.01",
                      _ body: () throws -> Void) throws -> (transmitted: Int, received: Int)
    {
        try run(["traffic-start", "\(node)", "\(pod)", destination, interval])
        do {
            try body()
        } catch {
            _ = try? run(["traffic-stop"])
            throw error
        }
        let counts = try Self.counts(try run(["traffic-stop"]).replacingSpaces)
        return (counts["transmitted"] ?? 0, counts["received"] ?? 0)
    }

    /// Parses `key=value` lines (or words).
    static func counts(_ text: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in text.lines {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Int(parts[1]) else {
                throw MeshHarnessError(description: "expected key=number, got '\(line)'")
            }
            counts[parts[0]] = value
        }
        return counts
    }
}

extension String {
    /// The non-empty lines.
    var lines: [String] { split(separator: "\n").map(String.init).filter { !$0.isEmpty } }

    /// Without leading and trailing whitespace.
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// Spaces turned into line breaks, for `a=1 b=2` summaries.
    var replacingSpaces: String { String(map { $0 == " " ? "\n" : $0 }) }
}

extension MeshHarness {
    /// Runs a program outside the mesh and returns stdout.
    func runProcessOutput(_ path: String, _ arguments: [String]) throws -> String {
        try runProcess(path, arguments).standardOutput
    }
}
