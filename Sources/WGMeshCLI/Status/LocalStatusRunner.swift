internal import WGMeshAgent
internal import WGMeshSystem
internal import WGMeshResources

/// `wgmesh status` without `--cluster`: asks the local daemon.
enum LocalStatusRunner {
    /// Exit code: every peer ok or idle.
    static let healthy: Int32 = 0
    /// Exit code: at least one peer stale, never, missing or unexpected.
    static let unhealthy: Int32 = 1
    /// Exit code: wgmeshd could not be reached or could not report.
    static let unreachable: Int32 = 3

    /// Prints this node's status in `format` and returns the exit code.
    static func run(node: NodeOptions, format: OutputFormat, timeoutSeconds: Int = 5) async throws -> Int32 {
        let status: LocalStatus
        do {
            // The control client waits on its socket: a blocking-work thread, not the cooperative pool.
            status = try await BlockingWork.run { try fetch(node: node, timeoutSeconds: timeoutSeconds) }
        } catch {
            DatastoreCommandIO.printError("Error: " + ((error as? AgentError)?.reason ?? "\(error)"))
            return unreachable
        }
        try DatastoreCommandIO.write(render(status, format: format))
        return status.isHealthy ? healthy : unhealthy
    }

    /// The daemon's status; when --node-name is given, the daemon must run that node.
    static func fetch(node: NodeOptions, timeoutSeconds: Int = 5) throws(AgentError) -> LocalStatus {
        let socket = node.resolvedControlSocket()
        let reply: JSONValue
        do {
            reply = try ControlClient(path: socket).request(.status, timeoutMilliseconds: Int64(timeoutSeconds) * 1000)
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(.controlSocket, "asking wgmeshd at \(socket) failed: \(error)")
        }
        let status = try LocalStatus(json: reply)
        if let wanted = node.nodeName, wanted != status.nodeName {
            throw AgentError(.controlSocket, "the wgmeshd at \(socket) runs node \(status.nodeName), not \(wanted): "
                + "give --node-name \(status.nodeName), or the --control-socket of \(wanted)'s daemon")
        }
        return status
    }

    /// The text for `status` in `format` (`json`, else the table).
    static func render(_ status: LocalStatus, format: OutputFormat) -> String {
        format == .json ? JSONWriter.string(status.json, pretty: true) + "\n" : LocalStatusTable.render(status)
    }
}
