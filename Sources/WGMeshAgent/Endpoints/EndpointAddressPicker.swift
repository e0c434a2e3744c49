public import WGMeshCore

/// Chooses a pod's addresses from the node's blocks: a pure function, so the
/// rules are tested without a kernel or a datastore.
public enum EndpointAddressPicker {
    /// One address per family that has a block in `blocks`: the lowest
    /// address not in `used`, skipping each block's first address (the
    /// node's tunnel IP). Blocks are tried in the order given.
    ///
    /// Throws `.exhausted` when there is no block at all, or when every block
    /// of a family is full, saying how to make room.
    public static func pick(blocks: [IPNetwork], used: Set<IPAddress>) throws(AgentError) -> [IPAddress] {
        guard !blocks.isEmpty else {
            throw AgentError(.exhausted,
                             "this node owns no address block to give pods addresses from; add an IPPool "
                                 + "(wgmesh apply) and wait for wgmeshd to claim a block, then try again")
        }
        var picked: [IPAddress] = []
        for family in [IPAddress.Family.v4, .v6] {
            let ofFamily = blocks.filter { $0.address.family == family }
            guard !ofFamily.isEmpty else { continue }
            guard let address = ofFamily.lazy.compactMap({ lowestFree(in: $0, used: used) }).first else {
                let list = ofFamily.map(\.description).joined(separator: ", ")
                throw AgentError(.exhausted,
                                 "every IP\(family == .v4 ? "v4" : "v6") address of this node's blocks (\(list)) "
                                     + "is taken; delete unused endpoints, or add an IPPool with room "
                                     + "(or a larger blockSize) so wgmeshd can claim another block")
            }
            picked.append(address)
        }
        return picked
    }

    /// The lowest address of `block` after its first that is not in `used`.
    ///
    /// Counts up from index 1 past used addresses only, so a /64 costs no
    /// more than a /26: at most `used.count + 1` candidates are looked at.
    static func lowestFree(in block: IPNetwork, used: Set<IPAddress>) -> IPAddress? {
        let family = block.address.family
        let hostBits = family.bitCount - Int(block.prefixLength)
        let first = integer(block.address.masked(to: Int(block.prefixLength)))
        let last: UInt128 = hostBits >= 128 ? .max : first + ((UInt128(1) << hostBits) - 1)
        var candidate = first
        while candidate < last {
            candidate += 1
            let address = self.address(family, candidate)
            if !used.contains(address) { return address }
        }
        return nil
    }

    private static func integer(_ address: IPAddress) -> UInt128 {
        address.networkBytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    private static func address(_ family: IPAddress.Family, _ value: UInt128) -> IPAddress {
        let count = family.byteCount
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
        // Cannot fail: the byte count matches the family.
        return try! IPAddress(networkBytes: bytes)
    }
}
