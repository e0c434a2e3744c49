import Glibc
import Testing
import WGMeshCore

extension MeshHarness {
    /// The IPPools in the datastore.
    func pools() throws -> [MeshExpectation.Pool] {
        try run(["pools"]).lines.map { try MeshExpectation.Pool(line: $0) }
    }

    /// Node I's routes in the wgmesh table.
    func routes(_ node: Int) throws -> Set<String> { Set(try run(["routes", "\(node)"]).lines) }

    /// Node I's rules other than the three defaults.
    func rules(_ node: Int) throws -> Set<String> { Set(try run(["rules", "\(node)"]).lines) }

    /// Every pod's addresses: `[node: [pod: (v4, v6)]]`, from one mesh.sh call.
    func podAddresses() throws -> [Int: [Int: (v4: String?, v6: String?)]] {
        var pods: [Int: [Int: (v4: String?, v6: String?)]] = [:]
        for line in try run(["pods"]).lines {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, let node = Int(fields[0]), let pod = Int(fields[1]) else {
                throw MeshHarnessError(description: "mesh.sh pods: bad line '\(line)'")
            }
            pods[node, default: [:]][pod] = (fields[2] == "-" ? nil : fields[2], fields[3] == "-" ? nil : fields[3])
        }
        return pods
    }

    /// How node I's device, table and rules differ from what the datastore's
    /// `nodes` and `pools` say they should be; empty when they match exactly.
    func differences(_ node: Int, nodes: [String: MeshNode], pools: [MeshExpectation.Pool]) throws -> [String] {
        guard let local = nodes["n\(node)"] else { return ["n\(node) is not in the datastore"] }
        let interface = interfaceName(node)
        let expected = MeshExpectation(local: local, nodes: Array(nodes.values), pools: pools, interface: interface)
        let device = try self.device(node)
        var problems: [String] = []
        if device.publicKey != local.publicKey { problems.append("device key \(device.publicKey), published \(local.publicKey ?? "none")") }
        if device.listenPort != local.listenPort { problems.append("listen port \(device.listenPort), published \(local.listenPort)") }
        if device.fwmark != MeshExpectation.fwmark { problems.append("fwmark \(device.fwmark), want \(MeshExpectation.fwmark)") }
        let names = Dictionary(nodes.values.compactMap { node in node.publicKey.map { ($0, node.name) } },
                               uniquingKeysWith: { first, _ in first })
        for (key, peer) in device.peers {
            guard let want = expected.peers[key] else {
                problems.append("unexpected peer \(names[key] ?? key)")
                continue
            }
            if peer.endpoint != want.endpoint { problems.append("peer \(names[key] ?? key) endpoint \(peer.endpoint), want \(want.endpoint)") }
            if peer.allowedIPs != want.allowedIPs {
                problems.append("peer \(names[key] ?? key) allowed IPs \(peer.allowedIPs.sorted()), want \(want.allowedIPs.sorted())")
            }
        }
        for key in expected.peers.keys where device.peers[key] == nil { problems.append("missing peer \(names[key] ?? key)") }
        let routes = try self.routes(node)
        // A node outside the mesh has no business in its table but throws,
        // which are harmless without the rule: check that part only.
        let checked = MeshExpectation.takesPart(local) ? routes : routes.filter { !$0.hasPrefix("throw ") }
        let wanted = MeshExpectation.takesPart(local) ? expected.routes : expected.routes.filter { !$0.hasPrefix("throw ") }
        for route in checked.subtracting(wanted).sorted() { problems.append("unexpected route \(route)") }
        for route in wanted.subtracting(checked).sorted() { problems.append("missing route \(route)") }
        let rules = try self.rules(node)
        for rule in rules.subtracting(expected.rules).sorted() { problems.append("unexpected rule \(rule)") }
        for rule in expected.rules.subtracting(rules).sorted() { problems.append("missing rule \(rule)") }
        return problems.map { "n\(node): \($0)" }
    }

    /// Expects every node in `nodes` to hold exactly what the datastore says,
    /// polling up to `seconds` for changes still on their way.
    func expectProgrammedExactly(_ nodes: [Int], within seconds: Int = 30,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        var problems: [String] = []
        for attempt in 0...(seconds * 2) {
            let records = try self.nodes(), pools = try self.pools()
            problems = try nodes.flatMap { try differences($0, nodes: records, pools: pools) }
            if problems.isEmpty { return }
            if attempt < seconds * 2 { usleep(500_000) }
        }
        let report = problems.joined(separator: "\n")
        Issue.record("programmed state differs from the datastore's:\n\(report)", sourceLocation: sourceLocation)
    }

    /// Expects every pod in `from` to reach pod 1 of every other node in
    /// `to`, over IPv4 and, where both have one, IPv6.
    func expectPodsReach(from: [Int], to: [Int], families: [Int] = [4, 6], pods: Int = 2,
                         sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let addresses = try podAddresses()
        func address(_ node: Int, _ pod: Int, _ family: Int) -> String? {
            addresses[node]?[pod].flatMap { family == 4 ? $0.v4 : $0.v6 }
        }
        for source in from {
            for pod in 1...pods {
                for target in to where target != source {
                    for family in families {
                        guard address(source, pod, family) != nil, let destination = address(target, 1, family) else { continue }
                        #expect(try ping(from: source, pod: pod, to: destination),
                                "n\(source)/p\(pod) -> n\(target)/p1 (\(destination))", sourceLocation: sourceLocation)
                    }
                }
            }
        }
    }
}
