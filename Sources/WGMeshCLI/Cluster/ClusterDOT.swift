internal import WGMeshAgent

/// `wgmesh graph`: the mesh as an undirected Graphviz graph, one vertex per
/// node, one edge per peered pair coloured by the worse of its two views.
enum ClusterDOT {
    /// The edge colour for each style (Graphviz colour names).
    static func colour(_ style: ClusterEdge.Style) -> String {
        switch style {
        case .ok: "green"
        case .idle: "grey"
        case .stale: "orange"
        case .broken: "red"
        case .silent: "grey"
        }
    }

    /// The whole `graph { ... }` document, ending in a newline.
    static func text(_ health: ClusterHealth) -> String {
        var lines = ["graph wgmesh {"]
        let summary = health.isHealthy ? "healthy" : "\(health.problems.count) problem(s)"
        lines.append("  graph [label=\(quote("wgmesh: \(health.nodes.count) nodes, \(summary)")), labelloc=t];")
        lines.append("  node [shape=box, style=rounded, fontname=Helvetica];")
        lines.append("  edge [fontname=Helvetica, fontsize=10];")
        for node in health.nodes {
            lines.append("  " + vertex(node))
        }
        for edge in health.edges {
            lines.append("  " + line(edge))
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A node: its name, tunnel addresses and endpoint; dashed when silent.
    static func vertex(_ node: ClusterNode) -> String {
        var label = [node.name] + node.tunnelAddresses.map { "\($0)" }
        if let endpoint = node.endpoint { label.append(endpoint) }
        var attributes = ["label=" + quote(label.joined(separator: "\n"))]
        if !node.reporting.isReporting {
            attributes += ["style=\"rounded,dashed\"", "color=grey", "fontcolor=grey",
                           "tooltip=" + quote("\(node.name): wgmeshd not reporting (\(node.reporting.rawValue))")]
        } else {
            attributes.append("tooltip=" + quote("\(node.name): reporting"))
        }
        return quote(node.name) + " [" + attributes.joined(separator: ", ") + "];"
    }

    /// An edge labelled with both views, e.g. `ok / NEVER`.
    static func line(_ edge: ClusterEdge) -> String {
        let label = "\(ClusterMatrix.symbol(edge.forward)) / \(ClusterMatrix.symbol(edge.backward))"
        let tooltip = "\(edge.first) sees \(edge.second) \(edge.forward.rawValue); "
            + "\(edge.second) sees \(edge.first) \(edge.backward.rawValue)"
        var attributes = ["color=\(colour(edge.style))", "label=" + quote(label), "tooltip=" + quote(tooltip)]
        if edge.style == .silent { attributes.append("style=dashed") }
        if edge.style == .broken || edge.style == .stale { attributes.append("penwidth=2") }
        return quote(edge.first) + " -- " + quote(edge.second) + " [" + attributes.joined(separator: ", ") + "];"
    }

    /// A DOT quoted string: quotes and backslashes escaped, newlines as `\n`
    /// (Graphviz's centred line break), other control characters dropped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
