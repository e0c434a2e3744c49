internal import Glibc

/// Puts device names in the order wg lists them, so `wg show all` and
/// `wg show interfaces` print the same lines in the same order.
///
/// wg lists kernel devices first, in the kernel's link order (ifindex), then
/// userspace devices in the order their sockets appear in the socket
/// directory. The device layer hands names back sorted; this restores wg's order.
enum WGInterfaceOrder {
    /// Where wireguard-go and other userspace implementations put their sockets.
    static let socketDirectory = "/var/run/wireguard"

    /// `names` in wg's order.
    static func wgOrder(_ names: [String], socketDirectory: String = socketDirectory) -> [String] {
        let sockets = socketOrder(in: socketDirectory)
        var kernel: [(name: String, index: UInt32)] = []
        var userspace: [(name: String, position: Int)] = []
        for name in names {
            if let position = sockets[name] {
                userspace.append((name, position))
            } else {
                kernel.append((name, if_nametoindex(name)))
            }
        }
        kernel.sort { $0.index != $1.index ? $0.index < $1.index : $0.name < $1.name }
        userspace.sort { $0.position < $1.position }
        return kernel.map(\.name) + userspace.map(\.name)
    }

    /// Each `NAME.sock` in `directory`, with its position in directory order.
    static func socketOrder(in directory: String) -> [String: Int] {
        guard let handle = opendir(directory) else { return [:] }
        defer { closedir(handle) }
        var order: [String: Int] = [:]
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".sock"), name.count > 5 else { continue }
            order[String(name.dropLast(5))] = order.count
        }
        return order
    }
}
