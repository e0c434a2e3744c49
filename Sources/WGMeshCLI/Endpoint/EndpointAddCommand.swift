public import ArgumentParser
internal import WGMeshAgent
internal import WGMeshSystem
internal import WGMeshCore
internal import WGMeshResources

/// `wgmesh endpoint add`: gives a netns addresses and wires it like a pod.
public struct EndpointAddCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Give a network namespace mesh addresses and wire it like a pod.",
        discussion: """
            Creates, on this node: a WorkloadEndpoint record NAMESPACE/NAME holding one address \
            per family from the node's blocks (the lowest free one; the block's first address is \
            the node's tunnel IP and is never given); a veth pair whose host end is wm + 11 hex \
            digits (MAC ee:ee:ee:ee:ee:ee, MTU of the mesh) and whose other end is eth0 in the \
            netns. In the netns: lo and eth0 up, the addresses as /32 and /128, and default routes \
            via 169.254.1.1 (IPv4) and fe80::ecee:eeff:feee:eeee (IPv6), both reached over eth0. \
            On the host: proxy ARP on the veth and a route to each address through it. If wiring \
            fails, everything made is removed again, the record too.

            Example:

              ip netns add pod1
              wgmesh endpoint add --name pod1 --netns /var/run/netns/pod1 --labels app=web
            """)

    @Option(help: ArgumentHelp("The endpoint's name (a DNS subdomain, unique in its namespace).", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The network namespace to wire, e.g. /var/run/netns/NAME or /proc/PID/ns/net.",
                               valueName: "path"))
    var netns: String

    @Option(help: ArgumentHelp("The workload namespace.", valueName: "namespace"))
    var namespace: String = "default"

    @Option(help: ArgumentHelp("Labels for policy selectors, as key=value,key=value.", valueName: "labels"))
    var labels: String?

    @OptionGroup var node: NodeOptions
    @OptionGroup var datastore: DatastoreOptions

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Refuses a bad name, namespace or label before anything is asked of the daemon.
    public func validate() throws {
        let labels: [String: String]
        do {
            labels = try EndpointLabels.parse(self.labels)
        } catch {
            throw ValidationError("\(error)")
        }
        do {
            try ObjectMeta(name: name, namespace: namespace, labels: labels).validate(for: WorkloadEndpoint.kind)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Asks wgmeshd for the node's facts, adds the endpoint and prints one line.
    public func run() async throws {
        let request = EndpointRequest(name: name, namespace: namespace, netnsPath: netns,
                                      labels: try EndpointLabels.parse(labels))
        let node = node, options = datastore
        try await DatastoreCommandIO.run {
            let nodeName = try node.resolvedNodeName()
            let socket = node.resolvedControlSocket()
            let info = try await BlockingWork.run { try ControlClient(path: socket).info() }
            guard info.nodeName == nodeName else {
                throw CommandFailure("the wgmeshd at \(socket) runs node \(info.nodeName), not \(nodeName); "
                                         + "give --node-name \(info.nodeName), or the --control-socket of \(nodeName)'s daemon")
            }
            let endpoint = try await options.withStore { store in
                try await EndpointManager(store: store, logger: DatastoreOptions.logger,
                                          lockPath: EndpointManager.lockPath(forControlSocket: socket))
                    .add(request, info: info)
            }
            try DatastoreCommandIO.write(Self.summary(endpoint) + "\n")
        }
    }

    /// `endpoint default/pod1: 10.244.0.1/32, fd00:10:244::1/128 on wm0123456789a`.
    static func summary(_ endpoint: WorkloadEndpoint) -> String {
        let ips = endpoint.spec.ips.map(\.description).joined(separator: ", ")
        return "endpoint \(endpoint.metadata.namespace ?? "default")/\(endpoint.metadata.name): \(ips) "
            + "on \(endpoint.spec.interfaceName)"
    }
}
