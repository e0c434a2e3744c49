import Foundation
import Testing
import WGMeshDatastore
import WGMeshDatastoreConnect

/// The docs' tables of a node's records and grants say what the code does: they are checked
/// against `NodeRecord.all`, the list node deletion and the etcd node role are made from.
@Suite struct NodeRecordDocsTests {
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func doc(_ name: String) throws -> String {
        try String(contentsOfFile: root + "/docs/" + name, encoding: .utf8)
    }

    /// The first backquoted cell of each table row after `header`, up to the table's end.
    static func firstCells(in text: String, after header: String) throws -> [String] {
        let lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(lines.firstIndex { $0.hasPrefix(header) }, "no table starting '\(header)'")
        return lines[(start + 2)...].prefix { $0.hasPrefix("|") }.compactMap { row in
            row.split(separator: "`").dropFirst().first.map(String.init)
        }
    }

    @Test func theThreatModelsTableListsEveryNodeRecord() throws {
        let cells = try Self.firstCells(in: try Self.doc("threat-model.md"), after: "| node N's records |")
        #expect(cells == NodeRecord.all.map { $0.pattern() })
    }

    @Test func theArchitecturesKeyTableHasARowForEveryNodeRecord() throws {
        let cells = try Self.firstCells(in: try Self.doc("architecture.md"), after: "| key (under `/wgmesh/v1/`) |")
        let perNode = cells.filter { $0.contains("<node>") }
        let patterns = NodeRecord.all.map { $0.pattern(placeholder: "<node>") }
        #expect(perNode.count == patterns.count, "\(perNode)")
        for pattern in patterns {
            #expect(perNode.contains { $0 == pattern || (pattern.hasSuffix("/") && $0.hasPrefix(pattern)) },
                    "no row for \(pattern) in \(perNode)")
        }
    }

    @Test func theOperationsRoleLineIsWhatAddNodePrints() throws {
        let line = try #require(try Self.doc("operations.md").components(separatedBy: "\n")
            .first { $0.hasPrefix("role wgmesh-node-a: ") })
        let grants = EtcdRBAC.nodeGrants("a").map(\.description).joined(separator: ", ")
        #expect(line == "role wgmesh-node-a: " + grants)
    }
}
