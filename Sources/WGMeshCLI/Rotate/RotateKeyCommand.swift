public import ArgumentParser
internal import Glibc
internal import WGMeshAgent
internal import WGMeshSystem
internal import WGMeshCore
internal import WGMeshDatastore
internal import WGMeshResources

/// `wgmesh rotate-key`: gives this node (or, through the datastore, node N)
/// a new WireGuard key with the shortest break in traffic.
public struct RotateKeyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Give this node, or another node, a new WireGuard key.",
        discussion: """
            Without --node: asks the local wgmeshd over its control socket. It writes the new key \
            to private.key.next, switches the interface to it, publishes the new public key (each \
            peer swaps the key when its watch sees it and starts the handshake at once), then \
            renames the file over private.key. A failure part-way keeps one key everywhere and says which.

            With --node N: writes a rotation request for node N to the datastore (--datastore and \
            its credentials: with etcd RBAC, the admin user); N's wgmeshd rotates and deletes it. \
            The command then waits (--wait, 60 s) until N publishes a new key and prints it; it exits 1 \
            if N does not within that time (the request stays, and N rotates when its daemon reads it). \
            --wait 0 returns once the request is written.

            Examples:

              wgmesh rotate-key
              wgmesh rotate-key --node worker-3 --datastore etcd://10.0.0.1:2379 --etcd-user root
            """)

    @Option(help: ArgumentHelp("Ask node N's daemon, through the datastore, instead of this node's.",
                               valueName: "name"))
    var node: String?

    @Option(help: ArgumentHelp(
        "With --node: seconds to wait for the node's new key (0: do not wait).", valueName: "seconds"))
    var wait: Int?

    @Option(name: .customLong("control-socket"), help: ArgumentHelp(
        "wgmeshd's control socket (else $WGMESH_CONTROL_SOCKET, else \(AgentConfig.defaultControlSocket)).",
        valueName: "path"))
    var controlSocket: String?

    @OptionGroup var datastore: DatastoreOptions

    /// How long the daemon may take: a rotation waits for the datastore.
    static let timeoutMilliseconds: Int64 = 30_000

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// How long `--node` waits for the new key unless `--wait` says otherwise.
    static let defaultWaitSeconds = 60

    /// Refuses a negative or local `--wait`.
    public func validate() throws {
        guard let wait else { return }
        if node == nil {
            throw ValidationError("--wait goes with --node: a local rotate-key always waits for this node's daemon")
        }
        if wait < 0 || wait > 3600 {
            throw ValidationError("--wait is seconds from 0 to 3600, not \(wait): use 0 to return at once")
        }
    }

    /// Rotates (or requests a rotation) and prints one line.
    public func run() async throws {
        let node = node, options = datastore, wait = wait ?? Self.defaultWaitSeconds
        let socket = controlSocket ?? DatastoreOptions.environment("WGMESH_CONTROL_SOCKET")
            ?? AgentConfig.defaultControlSocket
        try await DatastoreCommandIO.run {
            if let node {
                let line = try await options.withStore { store in
                    try await Self.requestAndWait(node: node, seconds: wait, store: store)
                }
                try DatastoreCommandIO.write(line + "\n")
                return
            }
            let reply = try await BlockingWork.run {
                try ControlClient(path: socket).request(.rotateKey, timeoutMilliseconds: Self.timeoutMilliseconds)
            }
            try DatastoreCommandIO.write(try Self.summary(reply) + "\n")
            if case .string(let warning)? = reply["warning"] { DatastoreCommandIO.printError("Warning: " + warning) }
        }
    }

    /// "rotated: OLD -> NEW (published in X ms, device switched in Y ms)".
    static func summary(_ reply: JSONValue) throws -> String {
        guard case .string(let old)? = reply["oldKey"], case .string(let new)? = reply["newKey"],
              case .integer(let published)? = reply["publishMilliseconds"]
        else {
            throw CommandFailure("wgmeshd answered rotate-key without the keys: make sure wgmesh and wgmeshd are "
                + "the same version, then check wgmesh status for the key in use")
        }
        var line = "rotated: \(old) -> \(new) (published in \(published) ms"
        if case .integer(let switched)? = reply["switchMilliseconds"] { line += ", device switched in \(switched) ms" }
        return line + ")"
    }

    /// Writes node `node`'s request after checking that the node exists;
    /// returns the key it publishes now.
    static func request(node: String, store: ResourceStore) async throws -> WireGuardKey? {
        guard let current = try await store.get(Node.self, name: node) else {
            throw CommandFailure("node \(node) is not in the datastore: check the name (wgmesh get nodes) and "
                + "--datastore")
        }
        let user = DatastoreOptions.environment("USER") ?? "uid \(getuid())"
        let request = RotationRequest(requestedAt: KeyState.now(), by: "\(user)@\(Hostname.current() ?? "?")")
        try await store.datastore.put(RotationRequest.key(node: node, in: store), value: request.encoded)
        return current.resource.spec.wireguard?.publicKey
    }

    /// Requests node `node`'s rotation, then (unless `seconds` is 0) polls
    /// its Node until the published key changes; returns the line to print.
    static func requestAndWait(node: String, seconds: Int, store: ResourceStore) async throws -> String {
        let old = try await request(node: node, store: store)
        guard seconds > 0 else {
            return "requested a key rotation on node \(node): its wgmeshd rotates when it sees the request "
                + "(wgmesh get nodes \(node) -o yaml shows the new key)"
        }
        let clock = ContinuousClock()
        let start = clock.now, deadline = start.advanced(by: .seconds(seconds))
        // Read, then give up only if the deadline had passed before that read: a process
        // that was not scheduled for a while still looks once more before failing.
        while true {
            let reachedDeadline = clock.now >= deadline
            let published = try await store.get(Node.self, name: node)?.resource.spec.wireguard?.publicKey
            if let published, published != old {
                return "rotated node \(node): \(old.map { "\($0)" } ?? "(none)") -> \(published) "
                    + "(published \((clock.now - start).wholeMilliseconds) ms after the request)"
            }
            if reachedDeadline { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CommandFailure("node \(node) has not published a new key within \(seconds) s: its wgmeshd may be "
            + "stopped or not yet started (wgmesh status --cluster shows silent nodes). The request stays in the "
            + "datastore and the node rotates when its daemon reads it; pass a longer --wait to keep watching")
    }
}
