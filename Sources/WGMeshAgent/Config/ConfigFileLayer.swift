import WGMeshResources
import Yams

/// Reads the YAML config file's settings: one mapping with the keys of
/// ``ConfigKey``. Unknown keys and wrong types are problems naming the file,
/// the key, its line and the fix; a `null` value counts as not given, so a
/// template may leave a key blank.
enum ConfigFileLayer {
    /// The file's settings by YAML key; problems go into `problems`.
    static func parse(_ text: String, path: String, problems: inout ConfigProblems) -> [String: ConfigValue] {
        let documents: [JSONValue]
        do {
            documents = try YAMLBridge.documents(text)
        } catch {
            problems.add(path, "\(error.reason); fix the YAML")
            return [:]
        }
        guard let root = documents.first else { return [:] }
        let lines = keyLines(text)
        // A list item or label has no line of its own: its key's line is close enough.
        func place(_ key: String) -> String {
            let owner = key.split(whereSeparator: { $0 == "[" || $0 == "." }).first.map(String.init) ?? key
            return (lines[key] ?? lines[owner]).map { "\(path): \(key) (line \($0))" } ?? "\(path): \(key)"
        }
        guard documents.count == 1 else {
            problems.add(path, "it holds \(documents.count) YAML documents; keep one mapping of settings")
            return [:]
        }
        guard case .object(let object) = root else {
            problems.add(path, "it is \(root.typeName), not a mapping; write one setting per line, e.g. 'listenPort: 51820'")
            return [:]
        }
        var layer: [String: ConfigValue] = [:]
        for member in object.members {
            if member.key == "etcd" {
                etcdMembers(member.value, place: place, into: &layer, problems: &problems)
            } else if let key = ConfigKey.forFile(member.key) {
                if let raw = lift(member.value, kind: key.kind, key: key.yaml, place: place, problems: &problems) {
                    layer[key.yaml] = ConfigValue(source: place(key.yaml), raw: raw)
                }
            } else {
                problems.add(place(member.key), "unknown key; use one of "
                             + ConfigKey.topLevelFileKeys.joined(separator: ", "))
            }
        }
        return layer
    }

    /// The `etcd:` mapping's members, as `etcd.ca` and so on.
    private static func etcdMembers(_ value: JSONValue, place: (String) -> String,
                                    into layer: inout [String: ConfigValue], problems: inout ConfigProblems)
    {
        if value == .null { return }
        guard case .object(let etcd) = value else {
            problems.add(place("etcd"), "expected a mapping (ca, cert, key, user, passwordFile), got \(value.typeName)")
            return
        }
        for member in etcd.members {
            let path = "etcd." + member.key
            guard let key = ConfigKey.forFile(path) else {
                problems.add(place(path), "unknown key; etcd takes " + ConfigKey.etcdFileKeys.joined(separator: ", "))
                continue
            }
            if let raw = lift(member.value, kind: key.kind, key: path, place: place, problems: &problems) {
                layer[key.yaml] = ConfigValue(source: place(path), raw: raw)
            }
        }
    }

    /// The YAML value as a ``ConfigValue/Raw`` when it has the type `kind`
    /// asks for; nil when it is null or wrong (then a problem is recorded).
    private static func lift(_ value: JSONValue, kind: ConfigKey.Kind, key: String, place: (String) -> String,
                             problems: inout ConfigProblems) -> ConfigValue.Raw?
    {
        switch (kind, value) {
        case (_, .null):
            return nil
        case (.string, .string(let text)), (.integerOrString, .string(let text)):
            return .text(text)
        case (.integer, .integer(let number)), (.integerOrString, .integer(let number)):
            return .text(String(number))
        case (.list, .array(let items)):
            var texts: [String] = []
            for (position, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    problems.add(place("\(key)[\(position)]"), "expected a string, got \(item.typeName); quote it")
                    return nil
                }
                texts.append(text)
            }
            return .list(texts)
        case (.map, .object(let object)):
            var pairs: [(key: String, value: String)] = []
            for member in object.members {
                guard case .string(let text) = member.value else {
                    problems.add(place("\(key).\(member.key)"), "expected a string, got \(member.value.typeName); "
                                 + "quote it, e.g. \(member.key): \"\(member.value)\"")
                    return nil
                }
                pairs.append((member.key, text))
            }
            return .pairs(pairs)
        default:
            problems.add(place(key), "expected \(describe(kind)), got \(value.typeName); " + fix(kind))
            return nil
        }
    }

    private static func describe(_ kind: ConfigKey.Kind) -> String {
        switch kind {
        case .string: "a string"
        case .integer: "a whole number"
        case .integerOrString: "a number"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    private static func fix(_ kind: ConfigKey.Kind) -> String {
        switch kind {
        case .string: "quote the value"
        case .integer, .integerOrString: "write a plain number without quotes"
        case .list: "write one '- item' per line"
        case .map: "write one 'key: value' per line"
        }
    }

    /// The line of every top-level key and of the keys one level down
    /// (`etcd.ca`, `labels.zone`). Yams knows where each key sits; a file
    /// that does not compose has no lines (its syntax error carries one).
    static func keyLines(_ text: String) -> [String: Int] {
        guard let root = try? Yams.compose(yaml: text), case .mapping(let mapping) = root else { return [:] }
        var lines: [String: Int] = [:]
        for (key, value) in mapping {
            guard case .scalar(let name) = key else { continue }
            if let line = name.mark?.line { lines[name.string] = line }
            if case .mapping(let nested) = value {
                for (inner, _) in nested {
                    if case .scalar(let innerName) = inner, let line = innerName.mark?.line {
                        lines[name.string + "." + innerName.string] = line
                    }
                }
            }
        }
        return lines
    }
}
