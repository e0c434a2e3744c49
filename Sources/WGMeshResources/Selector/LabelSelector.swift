// PLACEHOLDER: the selector helper replaces this file.
/// A Calico-style label selector.
public struct LabelSelector: Hashable, Sendable, CustomStringConvertible {
    public static let all = LabelSelector(text: "all()")
    let text: String
    init(text: String) { self.text = text }
    public var description: String { text }
    public func matches(_ labels: [String: String]) -> Bool { true }
}

