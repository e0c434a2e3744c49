/// Parses `--labels k=v,k2=v2` into a dictionary; the record's own rules
/// check the keys and values afterwards.
enum EndpointLabels {
    /// The labels, or a failure naming the bad item and the form expected.
    static func parse(_ text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var labels: [String: String] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CommandFailure("--labels: '\(item)' is not key=value; write --labels app=web,tier=front")
            }
            let key = String(parts[0])
            guard labels[key] == nil else {
                throw CommandFailure("--labels: '\(key)' is given twice; give each key once")
            }
            labels[key] = String(parts[1])
        }
        return labels
    }
}
