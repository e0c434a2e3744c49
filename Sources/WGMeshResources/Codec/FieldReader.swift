import WGMeshCore

/// Reads the fields of one object of a document, with errors that name the
/// field's full path and say what was expected.
///
/// In strict mode (user input) a member that is not a known field is an
/// error that lists the known ones; datastore reads are lenient so that a
/// newer writer's extra fields do not hide a record.
struct FieldReader: Sendable {
    /// The object being read.
    let object: DocumentObject
    /// Whether unknown fields are refused.
    let strict: Bool

    /// Wraps `object`, refusing members not in `known` when `strict`.
    init(_ object: DocumentObject, known: [String], strict: Bool) throws(ResourceError) {
        self.object = object
        self.strict = strict
        guard strict else { return }
        for (position, member) in object.members.enumerated() {
            guard known.contains(member.key) else {
                throw ResourceError.field(.unknownField, object.path(of: member.key),
                                          "unknown field; known fields: \(known.joined(separator: ", "))")
            }
            for earlier in object.members[..<position] where earlier.key == member.key {
                throw ResourceError.field(.invalidField, object.path(of: member.key),
                                          "the field is given twice; keep one")
            }
        }
    }

    /// The dotted path of `key` in this object.
    func path(_ key: String) -> String { object.path(of: key) }

    /// The member's value; an explicit `null` counts as absent.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    /// The member's value, or a missing-field error.
    func required(_ key: String) throws(ResourceError) -> JSONValue {
        guard let value = value(key) else {
            throw ResourceError.field(.missingField, path(key), "required field is missing; add it")
        }
        return value
    }

    /// An error saying the member has the wrong type.
    func mismatch(_ key: String, expected: String, got value: JSONValue) -> ResourceError {
        ResourceError.field(.invalidField, path(key), "expected \(expected), got \(value.typeName)")
    }

    /// A string member.
    func string(_ key: String) throws(ResourceError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw mismatch(key, expected: "a string", got: value) }
        return text
    }

    /// A required string member.
    func requiredString(_ key: String) throws(ResourceError) -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw mismatch(key, expected: "a string", got: value) }
        return text
    }

    /// A boolean member.
    func bool(_ key: String) throws(ResourceError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(key, expected: "true or false", got: value) }
        return flag
    }

    /// An integer member that must fit `type`.
    func integer<T: FixedWidthInteger>(_ key: String, as type: T.Type) throws(ResourceError) -> T? {
        guard let value = value(key) else { return nil }
        guard case .integer(let number) = value else {
            throw mismatch(key, expected: "an integer from \(T.min) to \(T.max)", got: value)
        }
        guard let result = T(exactly: number) else {
            throw ResourceError.field(.invalidField, path(key), "\(number) is out of range; use \(T.min) to \(T.max)")
        }
        return result
    }

    /// A nested object, read with its own known fields.
    func object(_ key: String, known: [String], strict: Bool? = nil) throws(ResourceError) -> FieldReader? {
        guard let value = value(key) else { return nil }
        guard case .object(var child) = value else { throw mismatch(key, expected: "an object", got: value) }
        // The parsers already set the path; hand-built documents may not have.
        if child.path.isEmpty { child.path = path(key) }
        return try FieldReader(child, known: known, strict: strict ?? self.strict)
    }

    /// A list member.
    func list(_ key: String) throws(ResourceError) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value else { throw mismatch(key, expected: "a list", got: value) }
        return elements
    }

    /// The path of element `position` of the list `key` (`spec.blocks[2]`);
    /// built only for errors, since string building dominates large lists.
    func path(_ key: String, _ position: Int) -> String { "\(path(key))[\(position)]" }

    /// A string member parsed by `parse`; its error becomes this field's error.
    func parsed<T>(_ key: String, _ parse: (String) throws(InvalidInputError) -> T) throws(ResourceError) -> T? {
        guard let text = try string(key) else { return nil }
        return try Self.parse(text, at: path(key), parse)
    }

    /// A list of strings, each parsed by `parse`.
    func parsedList<T>(_ key: String, _ parse: (String) throws(InvalidInputError) -> T) throws(ResourceError) -> [T]? {
        guard let elements = try list(key) else { return nil }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw ResourceError.field(.invalidField, path(key, position), "expected a string, got \(element.typeName)")
            }
            do {
                result.append(try parse(text))
            } catch {
                throw Self.failure(text, at: path(key, position), error)
            }
        }
        return result
    }

    static func parse<T>(_ text: String, at path: @autoclosure () -> String,
                         _ parse: (String) throws(InvalidInputError) -> T) throws(ResourceError) -> T {
        do {
            return try parse(text)
        } catch {
            throw failure(text, at: path(), error)
        }
    }

    static func failure(_ text: String, at path: String, _ error: InvalidInputError) -> ResourceError {
        // Name the value the user wrote when the parser's sentence does not.
        let reason = error.reason.contains(text) ? error.reason : "'\(text)' is not valid: \(error.reason)"
        return ResourceError.field(.invalidField, path, reason)
    }
}
