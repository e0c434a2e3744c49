extension FieldReader {
    /// A label selector member, kept as parsed (its canonical text is what is encoded).
    func selector(_ key: String) throws(ResourceError) -> LabelSelector? {
        guard let text = try string(key) else { return nil }
        return try Self.selector(text, at: path(key))
    }

    /// Parses selector text; the selector's own error (with its column) follows the field's path.
    static func selector(_ text: String, at path: String) throws(ResourceError) -> LabelSelector {
        do {
            return try LabelSelector(text)
        } catch {
            throw ResourceError.field(.invalidField, path, error.description)
        }
    }
}
