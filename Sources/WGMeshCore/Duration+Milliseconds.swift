extension Duration {
    /// Whole milliseconds (rounded down), for logs and command output.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
