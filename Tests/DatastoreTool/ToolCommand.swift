/// One wgmesh-dstool invocation, parsed from its arguments.
///
/// The tool has no ArgumentParser on purpose: it starts fast and its
/// arguments are positional, so a bench can launch dozens of them.
enum ToolCommand {
    /// N compare-and-swap increments of a decimal counter; prints the retries.
    case increment(url: String, key: String, count: Int)
    /// Writes a value; prints the revision.
    case put(url: String, key: String, value: String)
    /// Prints a key's value.
    case get(url: String, key: String)
    /// Prints COUNT events under a prefix, one line each, then exits.
    case watch(url: String, prefix: String, count: Int, from: Int64?)
    /// Writes the current CLOCK_REALTIME in nanoseconds; prints the revision.
    case stamp(url: String, key: String)
    /// Writes N valid Node records under the default root (for the list bench).
    case seedNodes(url: String, count: Int)
    /// Lists and decodes every Node `runs` times; prints milliseconds per run.
    case listNodes(url: String, runs: Int)
    /// Writes an IPPool and N Nodes with one claimed /26 block each; prints
    /// one line per node (for the node service's cold-start bench).
    case seedMesh(url: String, count: Int, prefix: String, pool: String)
    /// Gives a Node a new key per stdin line (given or random); prints key and times.
    case rekey(url: String, node: String)

    static let usage = """
        usage: wgmesh-dstool COMMAND URL ARGS...
          incr URL KEY N                   N compare-and-swap increments of a decimal counter (missing = 0);
                                           prints "retries R" (conflicts retried)
          put URL KEY VALUE                writes VALUE; prints the revision
          get URL KEY                      prints the value (exit 1 if the key does not exist)
          watch URL PREFIX COUNT [FROM]    prints "<revision> <put|delete> <key> <receive_realtime_ns> <value>"
                                           per event, exits after COUNT events; FROM defaults to now
          stamp URL KEY                    writes CLOCK_REALTIME in nanoseconds; prints the revision
          seed-nodes URL N                 writes N Node records under /wgmesh/v1/nodes/
          list-nodes URL RUNS              lists and decodes every Node RUNS times; prints ms per run
          seed-mesh URL N [PREFIX [POOL]]  writes IPPool bench-pool (POOL, default 10.64.0.0/12, for nodes
                                           labelled bench) and N Nodes PREFIX-00000... (default sim, label
                                           bench=mesh), each with a key, an address and a claimed /26 block;
                                           prints "<name> <key> <address:port> <block>" per node
          rekey URL NODE                   per stdin line, gives NODE the base64 key on it (empty: random); prints
                                           "<key base64> <key hex> <write start ns> <write done ns>"
        URL: sqlite:///absolute/path, sqlite:relative/path or etcd://host:port[,host:port...]

        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws {
        guard let name = arguments.first else { throw ToolError.usage("no command given") }
        let rest = Array(arguments.dropFirst())
        func expect(_ count: ClosedRange<Int>, _ form: String) throws {
            guard count.contains(rest.count) else {
                throw ToolError.usage("\(name) takes \(form), got \(rest.count) argument(s)")
            }
        }
        switch name {
        case "incr":
            try expect(3...3, "URL KEY N")
            self = .increment(url: rest[0], key: rest[1], count: try Self.number(rest[2], "N"))
        case "put":
            try expect(3...3, "URL KEY VALUE")
            self = .put(url: rest[0], key: rest[1], value: rest[2])
        case "get":
            try expect(2...2, "URL KEY")
            self = .get(url: rest[0], key: rest[1])
        case "watch":
            try expect(3...4, "URL PREFIX COUNT [FROM_REV]")
            let from = try rest.count == 4 ? Int64(Self.number(rest[3], "FROM_REV")) : nil
            self = .watch(url: rest[0], prefix: rest[1], count: try Self.number(rest[2], "COUNT"), from: from)
        case "stamp":
            try expect(2...2, "URL KEY")
            self = .stamp(url: rest[0], key: rest[1])
        case "seed-nodes":
            try expect(2...2, "URL N")
            self = .seedNodes(url: rest[0], count: try Self.number(rest[1], "N"))
        case "list-nodes":
            try expect(2...2, "URL RUNS")
            self = .listNodes(url: rest[0], runs: try Self.number(rest[1], "RUNS"))
        case "seed-mesh":
            try expect(2...4, "URL N [PREFIX [POOL]]")
            self = .seedMesh(url: rest[0], count: try Self.number(rest[1], "N"),
                             prefix: rest.count > 2 ? rest[2] : "sim",
                             pool: rest.count > 3 ? rest[3] : MeshSeeder.defaultPool)
        case "rekey":
            try expect(2...2, "URL NODE")
            self = .rekey(url: rest[0], node: rest[1])
        default:
            throw ToolError.usage("unknown command '\(name)'")
        }
    }

    /// A non-negative decimal argument.
    private static func number(_ text: String, _ name: String) throws -> Int {
        guard let value = Int(text), value >= 0 else {
            throw ToolError.usage("\(name) must be a non-negative whole number, got '\(text)'")
        }
        return value
    }
}
