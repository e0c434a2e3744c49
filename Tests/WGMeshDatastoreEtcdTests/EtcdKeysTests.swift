import Testing
@testable import WGMeshDatastoreEtcd

@Suite("etcd key ranges")
struct EtcdKeysTests {
    @Test("a prefix's range end is its successor", arguments: [
        ([UInt8]("a/".utf8), [UInt8]("a0".utf8)),
        ([0x61, 0xff], [0x62]),
        ([0x61, 0xff, 0xff], [0x62]),
        ([0xff, 0xff], [0]),
        ([], [0]),
    ] as [([UInt8], [UInt8])])
    func rangeEnd(prefix: [UInt8], end: [UInt8]) {
        #expect(EtcdKeys.rangeEnd(ofPrefix: prefix) == end)
    }

    @Test("the empty prefix starts at key 0, the whole keyspace")
    func emptyPrefixStart() {
        #expect(EtcdKeys.rangeStart(ofPrefix: []) == [0])
        #expect(EtcdKeys.rangeStart(ofPrefix: [0x61]) == [0x61])
    }
}
