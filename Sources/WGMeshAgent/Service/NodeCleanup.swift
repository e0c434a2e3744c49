public import Logging
import WGMeshCore
import WGMeshRouting

/// `wgmeshd --cleanup`: removes what wgmesh created on this node.
public enum NodeCleanup {
    /// Removes the wgmesh table's routes, the fwmark rules, the interface
    /// (and its wireguard-go process) and the host ends of endpoint veths.
    /// Leaves the datastore alone. Returns one line per thing removed.
    ///
    /// Both halves run even when the first fails, so one stuck part does
    /// not keep the rest in place; the first failure is thrown after.
    public static func run(config: AgentConfig, logger: Logger) throws -> [String] {
        let settings = DataplaneSettings(
            interfaceName: config.interfaceName ?? "wgmesh0", backend: config.backend, fwmark: config.fwmark,
            routingTable: config.routingTable, rulePriority: config.rulePriority, stateDirectory: config.stateDirectory)
        var lines: [String] = []
        var failures: [any Error] = []
        do {
            lines += try LinuxDataplane(settings: settings, logger: logger).cleanup()
        } catch {
            failures.append(error)
        }
        do {
            lines += try removeEndpointVeths(logger: logger)
        } catch {
            failures.append(error)
        }
        guard let first = failures.first else { return lines }
        for line in lines { logger.info("\(line)") }
        if let error = first as? AgentError { throw error }
        throw AgentError(.dataplane, "cleanup failed: \(first)")
    }

    /// Deletes every veth whose name has the shape of an endpoint's host
    /// end (``isEndpointHostInterface(_:)``); the pod end and the routes
    /// through it go with it.
    static func removeEndpointVeths(logger: Logger) throws -> [String] {
        let routing: RoutingClient
        let links: [Link]
        do {
            routing = try RoutingClient()
            links = try routing.links()
        } catch {
            throw AgentError(.dataplane, "listing links to find endpoint veths failed: \(error); run as root")
        }
        var lines: [String] = []
        for link in links where link.kind == "veth" && isEndpointHostInterface(link.name) {
            do {
                try routing.deleteLink(named: try InterfaceName(link.name))
                lines.append("deleted endpoint veth \(link.name) and its routes")
            } catch let error as RoutingError where error.code == .noSuchLink {
                // Gone meanwhile (its pod end was deleted): nothing left to do.
                logger.debug("endpoint veth \(link.name) went away by itself")
            } catch {
                throw AgentError(.dataplane, "deleting endpoint veth \(link.name) failed: \(error); run as root")
            }
        }
        return lines
    }

    /// Whether `name` is shaped like ``EndpointManager/hostInterfaceName(namespace:name:)``'s
    /// names: `wm` and 11 lowercase hex digits.
    public static func isEndpointHostInterface(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 13, bytes[0] == UInt8(ascii: "w"), bytes[1] == UInt8(ascii: "m") else { return false }
        return bytes.dropFirst(2).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
