internal import WGMeshAgent

/// The table of `wgmesh status --cluster`: rows are observers, columns the
/// peers they see, one short symbol per cell, a legend, then one line per
/// problem. Unhealthy symbols are upper case so they stand out in a wall
/// of `ok`.
enum ClusterMatrix {
    /// The symbol printed for each cell state.
    static func symbol(_ health: PairHealth) -> String {
        switch health {
        case .this: "-"
        case .excluded: "."
        case .ok: "ok"
        case .idle: "idle"
        case .stale: "STALE"
        case .never: "NEVER"
        case .missing: "MISSING"
        case .unexpected: "UNEXP"
        case .unknown: "?"
        case .down: "DOWN"
        }
    }

    /// Explains every symbol, so the matrix reads without the manual.
    static let legend = """
        Legend (rows observe columns): - self, . not peered by the plan
          ok handshake recent, idle nothing sent yet (both healthy)
          STALE handshake over 3m old while sending, NEVER sent but no handshake ever
          MISSING wanted but not on the interface, UNEXP on the interface but not wanted
          DOWN the row's wgmeshd is not reporting, ? a state this wgmesh does not know
        """

    /// The whole table, ending in a newline.
    static func text(_ health: ClusterHealth) -> String {
        guard !health.nodes.isEmpty else { return "No nodes found.\n" }
        let names = health.nodes.map(\.name)
        let rowWidth = max(names.map(\.count).max() ?? 0, "OBSERVER".count)
        var lines = [pad("OBSERVER", rowWidth) + "  " + names.map { pad($0, width(for: $0)) }.joined(separator: "  ")]
        for (row, node) in health.nodes.enumerated() {
            let cells = health.cells[(row * names.count)..<((row + 1) * names.count)]
            let symbols = zip(cells, names).map { cell, name in pad(symbol(cell.health), width(for: name)) }
            lines.append(pad(node.name, rowWidth) + "  " + symbols.joined(separator: "  "))
        }
        lines = lines.map { trimTrailing($0) }
        lines.append("")
        lines.append(legend)
        lines.append("")
        if health.problems.isEmpty {
            lines.append("All \(names.count) nodes report and every peered pair is healthy.")
        } else {
            lines.append("Problems (\(health.problems.count)):")
            lines += health.problems.map { "  " + $0.message }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A column is as wide as its name or its widest symbol.
    private static func width(for name: String) -> Int { max(name.count, "MISSING".count) }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func trimTrailing(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
