/// Why the node service, or a command acting for it, could not do something.
///
/// Every reason names the problem and what to do about it.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    /// A stable category, for tests and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The category's name.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A flag, variable or config file value is wrong.
        public static let invalidConfiguration = Code("invalid configuration")
        /// The state directory or a file in it is unusable.
        public static let stateDirectory = Code("state directory")
        /// The host's network does not offer what is needed (no default route, no such link).
        public static let hostNetwork = Code("host network")
        /// The datastore refused or lost a write the service needs.
        public static let datastore = Code("datastore")
        /// Changing the WireGuard device, links, routes or rules failed.
        public static let dataplane = Code("dataplane")
        /// The control socket could not be served or reached.
        public static let controlSocket = Code("control socket")
        /// An endpoint (pod) could not be added or removed.
        public static let endpoint = Code("endpoint")
        /// No free address or block is left.
        public static let exhausted = Code("exhausted")
        /// A key rotation was refused or failed (the reason says which key is in use).
        public static let keyRotation = Code("key rotation")
    }

    /// The category.
    public var code: Code
    /// One or two sentences: the problem and the fix.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}

extension AgentError {
    /// Runs `body`, turning a failure that is not already an ``AgentError``
    /// into `code` with "<what> failed: <reason>", so every dataplane error
    /// names the step that failed; the agent's own errors pass through.
    static func naming<T>(_ what: String, code: Code = .dataplane, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(code, "\(what) failed: \(error)")
        }
    }
}
