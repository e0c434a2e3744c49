internal import WGMeshAgent
internal import WGMeshResources

/// `wgmesh status --cluster -o json`: schema `wgmesh.cluster/v1`.
///
/// Stable: members keep their order, absent values are `null` (never
/// left out), times are Unix seconds, states are the lower-case names of
/// ``PairHealth``, ``ReportingState`` and ``ClusterProblem/Kind``.
///
///     {"schema": "wgmesh.cluster/v1", "observedAt": 1796000000,
///      "reportWindowSeconds": 360, "healthy": false,
///      "nodes": [{"name", "publicKey", "tunnelAddresses", "endpoint",
///                 "reporting", "statusAgeSeconds"}],
///      "cells": [{"observer", "peer", "state", "endpoint",
///                 "latestHandshake", "receivedBytes", "sentBytes"}],
///      "problems": [{"kind", "nodes", "state", "message"}]}
///
/// `cells` holds every ordered pair of different nodes, row by row; the
/// diagonal is left out.
enum ClusterJSON {
    /// The schema's name and version.
    static let schema = "wgmesh.cluster/v1"

    /// The pretty-printed document, ending in a newline.
    static func text(_ health: ClusterHealth) -> String {
        JSONWriter.string(value(health), pretty: true) + "\n"
    }

    /// The document as a tree.
    static func value(_ health: ClusterHealth) -> JSONValue {
        .object(DocumentObject([
            ("schema", .string(schema)),
            ("observedAt", .integer(health.observedAt)),
            ("reportWindowSeconds", .integer(health.reportWindow)),
            ("healthy", .bool(health.isHealthy)),
            ("nodes", .array(health.nodes.map(node))),
            ("cells", .array(health.cells.filter { $0.health != .this }.map(cell))),
            ("problems", .array(health.problems.map(problem))),
        ]))
    }

    private static func node(_ node: ClusterNode) -> JSONValue {
        .object(DocumentObject([
            ("name", .string(node.name)),
            ("publicKey", node.publicKey.map { .string($0.base64) } ?? .null),
            ("tunnelAddresses", .array(node.tunnelAddresses.map { .string("\($0)") })),
            ("endpoint", node.endpoint.map { .string($0) } ?? .null),
            ("reporting", .string(node.reporting.rawValue)),
            ("statusAgeSeconds", node.statusAge.map { .integer($0) } ?? .null),
        ]))
    }

    private static func cell(_ cell: PairCell) -> JSONValue {
        let report = cell.report
        return .object(DocumentObject([
            ("observer", .string(cell.observer)),
            ("peer", .string(cell.peer)),
            ("state", .string(cell.health.rawValue)),
            ("endpoint", report?.endpoint.map { .string($0) } ?? .null),
            ("latestHandshake", report?.latestHandshake.map { .integer($0) } ?? .null),
            ("receivedBytes", report.map { .integer(Int64(clamping: $0.receivedBytes)) } ?? .null),
            ("sentBytes", report.map { .integer(Int64(clamping: $0.sentBytes)) } ?? .null),
        ]))
    }

    private static func problem(_ problem: ClusterProblem) -> JSONValue {
        .object(DocumentObject([
            ("kind", .string(problem.kind.rawValue)),
            ("nodes", .array(problem.nodes.map { .string($0) })),
            ("state", .string(problem.health.rawValue)),
            ("message", .string(problem.message)),
        ]))
    }
}
