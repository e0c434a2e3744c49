import Glibc

/// The machine's hostname: the default node name of wgmeshd and of every
/// `wgmesh` command that acts on the local node.
public enum Hostname {
    /// The hostname up to the first dot, lower-cased (resource names are), or
    /// nil when the system has none. wgmeshd and the local commands both use
    /// this, so they agree on the node's name.
    public static func current() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let short = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        return short.isEmpty ? nil : short.lowercased()
    }
}
