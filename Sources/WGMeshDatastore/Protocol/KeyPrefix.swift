/// Key prefixes as byte ranges, shared by the backends.
public enum KeyPrefix {
    /// The smallest byte string greater than every key that starts with
    /// `prefix`: trailing 0xFF bytes dropped and the last remaining byte
    /// incremented, as etcd computes a prefix's range end. Nil when there is
    /// none (an empty prefix, or one made only of 0xFF bytes).
    public static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }
}
