import Yams

/// Turns one composed Yams document into a ``JSONValue``, recording the line
/// of every field and bounding depth and size (anchors can make a small file
/// expand into a huge tree).
struct YAMLConverter {
    static let maxDepth = 64
    static let maxNodes = 1_000_000

    var lines: [String: Int] = [:]
    var nodes = 0
    var maxNodes = YAMLConverter.maxNodes

    mutating func convert(_ node: Yams.Node, path: String, depth: Int) throws(ResourceError) -> JSONValue {
        nodes += 1
        guard nodes <= maxNodes else {
            throw failure(node, "the document expands to more than \(maxNodes) values (aliases?); simplify it")
        }
        guard depth <= Self.maxDepth else {
            throw failure(node, "nesting is deeper than \(Self.maxDepth) levels; flatten the document")
        }
        switch node {
        case .scalar(let scalar):
            return try scalarValue(scalar, path: path)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            elements.reserveCapacity(sequence.count)
            for (position, element) in sequence.enumerated() {
                let childPath = "\(path)[\(position)]"
                if let line = element.mark?.line { lines[childPath] = line }
                elements.append(try convert(element, path: childPath, depth: depth + 1))
            }
            return .array(elements)
        case .mapping(let mapping):
            var members: [DocumentObject.Member] = []
            members.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw failure(key, "\(path.isEmpty ? "" : path + ": ")a mapping key must be a plain string")
                }
                let name = keyScalar.string
                let childPath = path.isEmpty ? name : path + "." + name
                if let line = keyScalar.mark?.line { lines[childPath] = line }
                members.append(DocumentObject.Member(key: name, value: try convert(value, path: childPath, depth: depth + 1)))
            }
            return .object(DocumentObject(path: path, members: members))
        case .alias:
            throw failure(node, "\(path): an alias was not resolved; write the value out")
        }
    }

    func scalarValue(_ scalar: Yams.Node.Scalar, path: String) throws(ResourceError) -> JSONValue {
        switch Tag.Name(rawValue: scalar.tag.rawValue) {
        case .implicit:
            return scalar.style == .plain ? YAMLScalar.resolve(scalar.string) : .string(scalar.string)
        case .str, .nonSpecific:
            return .string(scalar.string)
        case .null, .bool, .int, .float:
            let value = YAMLScalar.resolve(scalar.string)
            let tag = Tag.Name(rawValue: scalar.tag.rawValue)
            let matches = switch (tag, value) {
            case (.null, .null), (.bool, .bool), (.int, .integer), (.float, .double), (.float, .integer): true
            default: false
            }
            guard matches else {
                throw failure(.scalar(scalar), "\(path): '\(scalar.string)' does not match its tag \(Self.shortTag(scalar.tag.rawValue))")
            }
            if case .integer(let number) = value, tag == .float { return .double(Double(number)) }
            return value
        default:
            throw failure(.scalar(scalar),
                "\(path): the tag \(Self.shortTag(scalar.tag.rawValue)) is not supported; remove it")
        }
    }

    /// `!!int` for `tag:yaml.org,2002:int`, as users write it.
    static func shortTag(_ name: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return name.hasPrefix(prefix) ? "!!" + name.dropFirst(prefix.count) : name
    }

    func failure(_ node: Yams.Node, _ reason: String) -> ResourceError {
        var error = ResourceError(.syntax, reason)
        error.line = node.mark?.line
        error.column = node.mark?.column
        return error
    }
}
