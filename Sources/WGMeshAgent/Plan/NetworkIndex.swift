import WGMeshCore

/// A small set of networks with a value each, answering "which entry covers
/// this network" and "does anything overlap it" with a few hash lookups.
///
/// The planner asks these questions once per block and allowed IP of every
/// node, so a linear scan would make planning O(nodes × entries). Entries come
/// in few distinct prefix lengths (a pool size, /26 blocks, /32 hosts), so
/// masking the question to each of those lengths and looking the result up
/// stays cheap however many entries there are.
struct NetworkIndex<Value> {
    /// Entries by their masked network; the first one inserted wins.
    private var entries: [IPNetwork: Value] = [:]
    /// Per family, the prefix lengths that have entries, longest first.
    private var lengths: [IPAddress.Family: [UInt8]] = [:]
    /// Every network that covers an entry (each entry's supernets, itself
    /// included), so "does this network cover an entry" is one lookup.
    private var supernets: Set<IPNetwork> = []

    /// Creates an empty index.
    init() {}

    /// Adds `network` with `value`, unless an equal network is already in.
    mutating func insert(_ network: IPNetwork, _ value: Value) {
        let key = network.masked
        guard entries[key] == nil else { return }
        entries[key] = value
        var family = lengths[key.address.family, default: []]
        if !family.contains(key.prefixLength) {
            family.append(key.prefixLength)
            family.sort(by: >)
            lengths[key.address.family] = family
        }
        for length in stride(from: Int(key.prefixLength), through: 0, by: -1) {
            guard supernets.insert(Self.mask(key.address, length)).inserted else { break }
        }
    }

    /// The value of the most specific entry that equals or covers `network`.
    func covering(_ network: IPNetwork) -> Value? {
        for length in lengths[network.address.family] ?? [] where length <= network.prefixLength {
            if let value = entries[Self.mask(network.address, Int(length))] { return value }
        }
        return nil
    }

    /// Whether `network` equals, covers or lies inside some entry.
    func overlaps(_ network: IPNetwork) -> Bool {
        supernets.contains(network.masked) || covering(network) != nil
    }

    /// The network of `length` bits that holds `address`.
    private static func mask(_ address: IPAddress, _ length: Int) -> IPNetwork {
        // Cannot fail: `length` never exceeds the family's bit count.
        try! IPNetwork(address: address.masked(to: length), prefixLength: length)
    }
}
