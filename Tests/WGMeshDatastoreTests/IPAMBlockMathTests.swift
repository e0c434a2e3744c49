import Testing
import WGMeshCore
import WGMeshDatastore

/// Pools cut into blocks: counts, positions, alignment and free-block search.
@Suite("IPAM block math")
struct IPAMBlockMathTests {
    private func net(_ text: String) -> IPNetwork { try! IPNetwork(text) }

    @Test("a pool's block count, first, second and last block", arguments: [
        ("10.65.0.0/16", 26, "1024", "10.65.0.0/26", "10.65.0.64/26", "10.65.255.192/26"),
        ("10.0.0.0/8", 24, "65536", "10.0.0.0/24", "10.0.1.0/24", "10.255.255.0/24"),
        ("192.168.7.0/24", 24, "1", "192.168.7.0/24", nil, "192.168.7.0/24"),
        ("fd00:65::/48", 122, "2^74", "fd00:65::/122", "fd00:65::40/122", "fd00:65:0:ffff:ffff:ffff:ffff:ffc0/122"),
        ("fd00::/120", 124, "16", "fd00::/124", "fd00::10/124", "fd00::f0/124"),
    ] as [(String, Int, String, String, String?, String)])
    func blocks(pool: String, size: Int, count: String, first: String, second: String?, last: String) throws {
        let blocks = try PoolBlocks(pool: net(pool), blockSize: size)
        #expect(blocks.countDescription == count)
        #expect(blocks.block(at: 0) == net(first))
        #expect(blocks.block(at: 1) == second.map(net))
        #expect(blocks.block(at: blocks.count - 1) == net(last))
        #expect(blocks.block(at: blocks.count) == nil)
        #expect(blocks.index(of: net(last)) == blocks.count - 1)
    }

    @Test("iterating a small pool yields every block once, in order")
    func iterate() throws {
        let blocks = Array(try PoolBlocks(pool: net("10.1.0.0/24"), blockSize: 26))
        #expect(blocks == ["10.1.0.0/26", "10.1.0.64/26", "10.1.0.128/26", "10.1.0.192/26"].map(net))
    }

    @Test("a /48 split into /122 is walked lazily")
    func lazyIPv6() throws {
        let blocks = try PoolBlocks(pool: net("fd00:65::/48"), blockSize: 122)
        #expect(Array(blocks.prefix(3)).last == net("fd00:65::80/122"))
        #expect(blocks.count == UInt128(1) << 74)
    }

    @Test("a pool with host bits or a block size that does not fit is refused", arguments: [
        ("10.65.0.1/16", 26), ("10.65.0.0/16", 15), ("10.65.0.0/16", 33), ("fd00::/48", 129),
    ])
    func invalid(pool: String, size: Int) {
        #expect(throws: DatastoreError.self) { try PoolBlocks(pool: net(pool), blockSize: size) }
    }

    @Test("only aligned blocks of the pool's size inside it belong to it", arguments: [
        ("10.65.1.64/26", true), ("10.65.1.32/26", false), ("10.65.1.0/25", false),
        ("10.66.0.0/26", false), ("fd00::/122", false), ("10.65.255.192/26", true),
    ])
    func membership(block: String, inside: Bool) throws {
        let blocks = try PoolBlocks(pool: net("10.65.0.0/16"), blockSize: 26)
        #expect(blocks.contains(net(block)) == inside)
    }

    @Test("covers, overlaps and alignment")
    func coverage() {
        #expect(net("10.0.0.0/8").covers(net("10.1.0.0/16")))
        #expect(!net("10.1.0.0/16").covers(net("10.0.0.0/8")))
        #expect(net("10.1.0.0/16").overlaps(net("10.0.0.0/8")))
        #expect(!net("10.0.0.0/8").overlaps(net("11.0.0.0/8")))
        #expect(!net("0.0.0.0/0").covers(net("::/128")))
        #expect(net("10.0.0.0/8").isAligned)
        #expect(!net("10.0.0.1/8").isAligned)
    }

    @Test("the first free block skips claims of any size, however large the pool", arguments: [
        ("10.65.0.0/16", 26, [], "10.65.0.0/26"),
        ("10.65.0.0/16", 26, ["10.65.0.0/26", "10.65.0.128/26"], "10.65.0.64/26"),
        ("10.65.0.0/16", 26, ["10.65.0.0/25", "10.65.0.128/26"], "10.65.0.192/26"),
        ("10.65.0.0/16", 26, ["10.65.0.64/27", "10.65.0.0/26"], "10.65.0.128/26"),
        ("10.65.0.0/16", 26, ["10.0.0.0/8"], nil),
        ("10.65.0.0/24", 26, ["10.65.0.0/26", "10.65.0.64/26", "10.65.0.128/26", "10.65.0.192/26"], nil),
        ("fd00:65::/48", 122, ["fd00:65::/122", "fd00:65::40/122"], "fd00:65::80/122"),
        ("fd00:65::/48", 122, ["fd00:65::/64"], "fd00:65:0:1::/122"),
    ] as [(String, Int, [String], String?)])
    func firstFree(pool: String, size: Int, claimed: [String], expected: String?) throws {
        let blocks = try PoolBlocks(pool: net(pool), blockSize: size)
        #expect(blocks.firstFree(claimed: claimed.map(net)) == expected.map(net))
    }
}
