public import WGMeshResources

/// One request to wgmeshd's control socket.
///
/// On the wire a request is one line holding exactly `{"request":"<name>"}`: anything else (an
/// unknown name, another member, trailing words, a bare word) is refused whole, so a request is
/// either exactly valid or does nothing.
public enum ControlRequest: String, Sendable, CaseIterable, Hashable {
    /// The daemon's identity (``DaemonInfo``).
    case info
    /// Whether the daemon answers.
    case ping
    /// This node's peers and their health.
    case status
    /// Ready and healthy, and why not.
    case health
    /// Rotate this node's key.
    case rotateKey = "rotate-key"

    /// The request's line, newline included.
    public var line: [UInt8] {
        JSONWriter.write(.object(DocumentObject([("request", .string(rawValue))]))) + [UInt8(ascii: "\n")]
    }

    /// The longest request line the daemon reads.
    public static let lineLimit = 4096

    /// Parses one request line (without its newline); the error says what was wrong and what to send.
    public init(line: [UInt8]) throws(ControlError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line, limits: JSONParser.Limits(maxDepth: 2, maxBytes: Self.lineLimit))
        } catch {
            throw ControlError(.badRequest, "a request is one JSON line, {\"request\":\"NAME\"} with NAME one of "
                + "\(Self.names); got \(Self.shown(line)) (use wgmesh of the same version as wgmeshd)")
        }
        guard case .object(let object) = value, object.members.count == 1, case .string(let name)? = object["request"]
        else {
            throw ControlError(.badRequest, "a request is exactly {\"request\":\"NAME\"} with no other member; "
                + "got \(Self.shown(line))")
        }
        guard let request = ControlRequest(rawValue: name) else {
            throw ControlError(.unknownRequest, "unknown request '\(Self.clip(name))': use \(Self.names)")
        }
        self = request
    }

    /// "info, ping, status, health or rotate-key".
    static var names: String {
        let all = allCases.map(\.rawValue)
        return all.dropLast().joined(separator: ", ") + " or " + all.last!
    }

    static func shown(_ line: [UInt8]) -> String { "'" + clip(String(decoding: line, as: UTF8.self)) + "'" }

    static func clip(_ text: String) -> String { text.count > 64 ? String(text.prefix(64)) + "..." : text }
}

/// Why the daemon did not do what a request asked.
public struct ControlError: Error, Sendable, Equatable {
    /// The kind of refusal, stable for scripts.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        init(_ rawValue: String) { self.rawValue = rawValue }

        /// Not a request line at all.
        public static let badRequest = Code("bad-request")
        /// A well-formed request for something the daemon does not do.
        public static let unknownRequest = Code("unknown-request")
        /// The request line is longer than ``ControlRequest/lineLimit``.
        public static let tooLong = Code("too-long")
        /// The daemon serves as many connections as it will at once; try again.
        public static let busy = Code("busy")
        /// Not yet (still starting) or not now (a step is running that this waits for).
        public static let unavailable = Code("unavailable")
        /// The daemon tried and it failed, or refused for a reason the message gives.
        public static let failed = Code("failed")
    }

    /// The kind.
    public var code: Code
    /// The operator's sentence: what was wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The daemon's answer to one request: `{"result": ...}` or `{"error": {"code", "message"}}`, one line.
public enum ControlReply: Sendable, Equatable {
    /// What was asked for.
    case result(JSONValue)
    /// Why not.
    case failure(ControlError)

    /// The reply's line, newline included.
    public var line: [UInt8] {
        let value: JSONValue
        switch self {
        case .result(let result):
            value = .object(DocumentObject([("result", result)]))
        case .failure(let error):
            value = .object(DocumentObject([("error", .object(DocumentObject([
                ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
            ])))]))
        }
        return JSONWriter.write(value) + [UInt8(ascii: "\n")]
    }

    /// Reads a reply line; nil with the problem when it is not exactly one of the two shapes.
    public init(line: [UInt8], limit: Int) throws(ControlError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line, limits: JSONParser.Limits(maxDepth: 32, maxBytes: limit))
        } catch {
            throw ControlError(.badRequest, "a reply that is not JSON (\(error))")
        }
        guard case .object(let object) = value, object.members.count == 1 else {
            throw ControlError(.badRequest, "a reply that is neither {\"result\":...} nor {\"error\":...}")
        }
        if let result = object["result"] {
            self = .result(result)
            return
        }
        guard case .string(let code)? = object["error"]?["code"], case .string(let message)? = object["error"]?["message"]
        else {
            throw ControlError(.badRequest, "a reply that is neither {\"result\":...} nor {\"error\":{\"code\",\"message\"}}")
        }
        self = .failure(ControlError(ControlError.Code(rawValue: code), message))
    }
}
