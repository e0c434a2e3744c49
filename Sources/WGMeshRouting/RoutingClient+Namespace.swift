internal import WGMeshNetlink

extension RoutingClient {
    /// Opens an rtnetlink socket inside another network namespace: every
    /// request on this client then reads and changes that namespace, while
    /// the calling thread stays where it is.
    public convenience init(networkNamespace namespace: NetworkNamespace) throws(RoutingError) {
        let opened = try namespace.withEntered { () throws(NetlinkError) -> NetlinkSocket in
            try NetlinkSocket(.route)
        }
        switch opened {
        case .success(let socket): self.init(socket: socket)
        case .failure(let error): throw RoutingError(error, operation: "open an rtnetlink socket in \(namespace.path)")
        }
    }

    /// ``init(networkNamespace:)`` for a path such as /var/run/netns/NAME.
    public convenience init(networkNamespacePath path: String) throws(RoutingError) {
        try self.init(networkNamespace: try NetworkNamespace(path: path))
    }
}
