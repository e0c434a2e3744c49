/// The naming rules Kubernetes uses, so names and labels move between the
/// two without surprises.
public enum NameRules {
    /// Why `text` is not a DNS-1123 subdomain (at most 253 of `a-z 0-9 - .`,
    /// starting and ending with a letter or digit), or nil when it is one.
    public static func subdomainProblem(_ text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.utf8.count > 253 { return "it is \(text.utf8.count) characters; the limit is 253" }
        return charsetProblem(text, extra: [UInt8(ascii: "-"), UInt8(ascii: ".")], upper: false)
    }

    /// Why `text` is not a DNS-1123 label (at most 63 of `a-z 0-9 -`,
    /// starting and ending with a letter or digit), or nil when it is one.
    public static func labelProblem(_ text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.utf8.count > 63 { return "it is \(text.utf8.count) characters; the limit is 63" }
        return charsetProblem(text, extra: [UInt8(ascii: "-")], upper: false)
    }

    /// Why `text` is not a label key (`[prefix/]name`: a name of at most 63
    /// of `A-Z a-z 0-9 - _ .` starting and ending alphanumeric, and a
    /// DNS-subdomain prefix), or nil.
    public static func labelKeyProblem(_ text: String) -> String? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            if let problem = subdomainProblem(String(parts[0])) { return "its prefix '\(parts[0])' is not valid: \(problem)" }
        }
        let name = String(parts[parts.count - 1])
        if name.isEmpty { return "its name part is empty" }
        if name.utf8.count > 63 { return "its name part is \(name.utf8.count) characters; the limit is 63" }
        return charsetProblem(name, extra: labelExtra, upper: true)
    }

    /// Why `text` is not a label value (empty, or at most 63 of
    /// `A-Z a-z 0-9 - _ .` starting and ending alphanumeric), or nil.
    public static func labelValueProblem(_ text: String) -> String? {
        if text.isEmpty { return nil }
        if text.utf8.count > 63 { return "it is \(text.utf8.count) characters; the limit is 63" }
        return charsetProblem(text, extra: labelExtra, upper: true)
    }

    static let labelExtra = [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ".")]

    static func charsetProblem(_ text: String, extra: [UInt8], upper: Bool) -> String? {
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (upper && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte))
        }
        for byte in text.utf8 where !alphanumeric(byte) && !extra.contains(byte) {
            let shown = byte < 0x80 && byte >= 0x20 ? "'\(Character(Unicode.Scalar(byte)))'" : "a non-ASCII or control character"
            let allowed = (upper ? "letters, digits" : "lower-case letters, digits")
                + ", " + extra.map { "'\(Character(Unicode.Scalar($0)))'" }.joined(separator: ", ")
            return "it contains \(shown); use only \(allowed)"
        }
        let bytes = Array(text.utf8)
        if !alphanumeric(bytes[0]) || !alphanumeric(bytes[bytes.count - 1]) {
            return "it must start and end with a letter or digit"
        }
        return nil
    }

    /// Checks a resource name at `path`.
    static func checkName(_ text: String, at path: String, what: String = "name") throws(ResourceError) {
        if let problem = subdomainProblem(text) {
            throw ResourceError.field(.invalidField, path, "'\(text)' is not a valid \(what): \(problem)")
        }
    }
}
