extension WGMeshCommand {
    /// The options every command that reaches a datastore or the local node takes
    /// (``DatastoreOptions`` and ``NodeOptions``); each takes a value.
    static let globalOptions: Set<String> = [
        "--datastore", "--etcd-ca", "--etcd-cert", "--etcd-key", "--etcd-user", "--etcd-password-file",
        "--node-name", "--control-socket",
    ]

    /// Moves global options given before the subcommand to after it, so
    /// `wgmesh --datastore URL get nodes` works as `wgmesh get nodes --datastore URL` does,
    /// as kubectl's global flags do.
    ///
    /// ArgumentParser takes a subcommand's options only after the subcommand's name. Only the
    /// options in ``globalOptions`` that come before the first word that is not an option move;
    /// they go before any `--`, so operands after it stay operands. A subcommand that has no
    /// such option still reports it as unknown, naming it.
    ///
    /// - Parameter arguments: the command line without the program name.
    public static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            guard globalOptions.contains(name) else { break }
            if word.contains("=") {
                leading.append(word)
                index += 1
            } else {
                // An option missing its value stays where it is: the parser names the problem.
                guard index + 1 < arguments.endIndex else { break }
                leading.append(contentsOf: arguments[index...(index + 1)])
                index += 2
            }
        }
        guard !leading.isEmpty, index < arguments.endIndex else { return arguments }
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return rest
    }
}
