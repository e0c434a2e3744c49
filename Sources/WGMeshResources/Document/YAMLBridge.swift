import Yams

/// YAML in and out, through Yams, as ``JSONValue`` trees.
///
/// Scalars follow the YAML 1.2 core schema: quoted scalars are strings, and
/// plain ones are null, booleans (`true`/`false` only, so `no` stays a
/// string), integers, floats or strings.
public enum YAMLBridge {
    /// The non-empty documents of a multi-document stream (`---` separated).
    public static func documents(_ text: String) throws(ResourceError) -> [JSONValue] {
        try parsedDocuments(text).map(\.value)
    }

    /// Block-style YAML for `values`, with `---` between documents. Strings
    /// that would read back as another type are quoted.
    public static func emit(_ values: [JSONValue]) -> String {
        guard !values.isEmpty else { return "" }
        // Cannot fail: the tree holds only plain scalars, sequences and mappings.
        return try! Yams.serialize(nodes: values.map(node), indent: 2, width: -1, allowUnicode: true)
    }

    /// One parsed document, where it starts, and the line of each field
    /// (by dotted path) so decode errors can point into the file.
    struct Document {
        var value: JSONValue
        var number: Int
        var line: Int?
        var lines: [String: Int]

        /// The line of `path`, or of its nearest ancestor that has one.
        func line(of path: String) -> Int? {
            var path = Substring(path)
            while !path.isEmpty {
                if let line = lines[String(path)] { return line }
                guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
                path = path[..<cut]
            }
            return line
        }
    }

    static func parsedDocuments(_ text: String, maxNodes: Int = YAMLConverter.maxNodes) throws(ResourceError) -> [Document] {
        var documents: [Document] = []
        var number = 0
        do {
            var stream = try Yams.compose_all(yaml: text, Resolver.basic)
            while let root = stream.next() {
                number += 1
                var converter = YAMLConverter()
                converter.maxNodes = maxNodes
                let value: JSONValue
                do {
                    value = try converter.convert(root, path: "", depth: 0)
                } catch {
                    throw error.inDocument(number, line: error.line)
                }
                if value == .null { continue }
                documents.append(Document(value: value, number: number, line: root.mark?.line, lines: converter.lines))
            }
            if let error = stream.error { throw error }
        } catch let error as ResourceError {
            throw error
        } catch {
            throw syntaxError(error, document: number + 1)
        }
        return documents
    }

    static func syntaxError(_ error: any Error, document: Int) -> ResourceError {
        var mark: Mark?
        var problem = "\(error)"
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let text, let at, _), .parser(let context, let text, let at, _),
                 .composer(let context, let text, let at, _):
                mark = at
                problem = context.map { "\(text) (\($0.text))" } ?? text
            case .duplicatedKeysInMapping(let duplicates, let context):
                mark = context.mark
                problem = "duplicate keys \(duplicates.joined(separator: ", ")); keep one of each"
            case .reader(let text, _, _, _):
                problem = text
            default:
                break
            }
        }
        var result = ResourceError(.syntax, "YAML syntax error: \(problem)")
        result.line = mark?.line
        result.column = mark?.column
        return result.inDocument(document, line: mark?.line)
    }

    static func node(_ value: JSONValue) -> Yams.Node {
        switch value {
        case .null: return plain("null")
        case .bool(let flag): return plain(flag ? "true" : "false")
        case .integer(let number): return plain(String(number))
        case .double(let number):
            if number.isNaN { return plain(".nan") }
            if number.isInfinite { return plain(number < 0 ? "-.inf" : ".inf") }
            return plain(String(number))
        case .string(let text): return string(text)
        case .array(let elements):
            return .sequence(Yams.Node.Sequence(elements.map(node), Tag(.seq), .block))
        case .object(let object):
            let pairs = object.members.map { (string($0.key), node($0.value)) }
            return .mapping(Yams.Node.Mapping(pairs, Tag(.map), .block))
        }
    }

    static func plain(_ text: String) -> Yams.Node { .scalar(Yams.Node.Scalar(text, Tag(.str), .plain)) }

    /// A string scalar, double-quoted when a reader (1.2 core, or Yams' 1.1
    /// rules with `yes`/`on` and timestamps) would take it for something else.
    static func string(_ text: String) -> Yams.Node {
        // A byte-order mark inside a plain scalar is dropped by readers; quoting escapes it.
        let retyped = YAMLScalar.resolve(text) != .string(text) || text.unicodeScalars.contains("\u{FEFF}")
            || Resolver.default.resolveTag(of: Yams.Node.scalar(Yams.Node.Scalar(text))) != .str
        // Multi-line text reads best as a literal block; the emitter falls
        // back to quotes when the text cannot be one (e.g. trailing spaces).
        let style: Yams.Node.Scalar.Style = retyped ? .doubleQuoted : text.contains("\n") ? .literal : .any
        return .scalar(Yams.Node.Scalar(text, Tag(.str), style))
    }
}
