public import WGMeshCore
public import WGMeshResources

/// The blocks a pool's CIDR is cut into at its block size, computed on
/// demand: a /48 split into /122s is 2^74 blocks, so they are never all
/// built; a block is found by its index and an index by its block.
public struct PoolBlocks: Sequence, Hashable, Sendable {
    /// The pool's network.
    public let pool: IPNetwork
    /// The prefix length of every block.
    public let blockSize: Int

    /// Cuts `pool` into blocks of `/blockSize`; throws when the pool has
    /// host bits set or the block size does not fit inside it.
    public init(pool: IPNetwork, blockSize: Int) throws(DatastoreError) {
        guard pool.isAligned else {
            throw DatastoreError(
                .invalidRecord, "pool CIDR \(pool) has host bits set: use \(pool.masked)")
        }
        let bits = pool.address.family.bitCount
        guard (Int(pool.prefixLength)...bits).contains(blockSize) else {
            throw DatastoreError(
                .invalidRecord,
                "block size /\(blockSize) does not fit the pool \(pool): "
                    + "use a value from \(pool.prefixLength) to \(bits)")
        }
        self.pool = pool
        self.blockSize = blockSize
    }

    /// Cuts an IPPool resource into its blocks; errors name the pool.
    public init(_ pool: IPPool) throws(DatastoreError) {
        do {
            try self.init(pool: pool.spec.cidr, blockSize: pool.spec.blockSize)
        } catch {
            throw DatastoreError(error.code, "IPPool \(pool.metadata.name): \(error.reason)")
        }
    }

    private var splitBits: Int { blockSize - Int(pool.prefixLength) }

    /// The number of blocks; saturates at `UInt128.max` for the one split
    /// (::/0 into /128s) that does not fit.
    public var count: UInt128 { splitBits >= 128 ? .max : UInt128(1) << splitBits }

    /// The number of blocks for messages: exact up to a million, else a power of two.
    public var countDescription: String {
        splitBits < 20 ? String(count) : "2^\(splitBits)"
    }

    /// The block at `index` (0 is the pool's first block), or nil past the end.
    public func block(at index: UInt128) -> IPNetwork? {
        guard splitBits >= 128 || index < count else { return nil }
        let hostBits = pool.address.family.bitCount - blockSize
        let start = pool.address.integerValue + (hostBits >= 128 ? 0 : index << hostBits)
        // Cannot fail: blockSize was checked against the family.
        return try! IPNetwork(
            address: IPAddress(family: pool.address.family, integerValue: start), prefixLength: blockSize)
    }

    /// The index of `block` in this pool, or nil unless it is exactly one of
    /// the pool's blocks (the same family and size, aligned, inside the pool).
    public func index(of block: IPNetwork) -> UInt128? {
        guard Int(block.prefixLength) == blockSize, block.isAligned, pool.covers(block) else { return nil }
        let hostBits = pool.address.family.bitCount - blockSize
        let offset = block.address.integerValue - pool.address.integerValue
        return hostBits >= 128 ? 0 : offset >> hostBits
    }

    /// Whether `block` is exactly one of this pool's blocks.
    public func contains(_ block: IPNetwork) -> Bool { index(of: block) != nil }

    /// The lowest block that overlaps none of `claimed` (claims of any size,
    /// from any pool), or nil when there is none. Jumps past each claim, so
    /// it takes one step per claim however large the pool is.
    public func firstFree(claimed: some Sequence<IPNetwork>) -> IPNetwork? {
        let hostBits = pool.address.family.bitCount - blockSize
        let poolStart = pool.address.integerValue
        let ranges = claimed.filter { $0.overlaps(pool) }.map(\.integerRange).sorted { $0.lowerBound < $1.lowerBound }
        var index: UInt128 = 0
        for range in ranges {
            guard let candidate = block(at: index)?.integerRange else { return nil }
            if range.upperBound < candidate.lowerBound { continue }
            // Sorted by start: no later claim can reach back to this block.
            if range.lowerBound > candidate.upperBound { break }
            guard hostBits < 128, range.upperBound < .max else { return nil }
            // The block holding the claim's last address, then the next one.
            index = ((range.upperBound - poolStart) >> hostBits) + 1
        }
        return block(at: index)
    }

    /// Walks the blocks in address order.
    public func makeIterator() -> Iterator { Iterator(blocks: self) }

    /// Produces one block at a time.
    public struct Iterator: IteratorProtocol {
        let blocks: PoolBlocks
        var index: UInt128 = 0
        var done = false

        /// The next block, or nil after the last.
        public mutating func next() -> IPNetwork? {
            guard !done, let block = blocks.block(at: index) else { return nil }
            if index == blocks.count - 1 { done = true } else { index += 1 }
            return block
        }
    }
}
