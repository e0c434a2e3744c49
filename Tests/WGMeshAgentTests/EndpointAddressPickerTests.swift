import Testing
import WGMeshAgent
import WGMeshCore

/// The address rules without a kernel: lowest free, never a block's first
/// address (the node's tunnel IP), one per family, a clear error when full.
@Suite struct EndpointAddressPickerTests {
    static let v4Block = try! IPNetwork("10.244.3.0/26")
    static let v6Block = try! IPNetwork("fd00:10:244::/122")

    static func addresses(_ texts: [String]) -> Set<IPAddress> { Set(texts.map { try! IPAddress($0) }) }

    @Test(arguments: [
        ([String](), ["10.244.3.1", "fd00:10:244::1"]),
        (["10.244.3.1"], ["10.244.3.2", "fd00:10:244::1"]),
        (["10.244.3.1", "10.244.3.3", "fd00:10:244::1"], ["10.244.3.2", "fd00:10:244::2"]),
        // An address outside the blocks does not shift the choice.
        (["10.9.9.9", "10.244.3.0"], ["10.244.3.1", "fd00:10:244::1"]),
    ])
    func picksTheLowestFreeAddressPerFamily(used: [String], expected: [String]) throws {
        let picked = try EndpointAddressPicker.pick(blocks: [Self.v4Block, Self.v6Block], used: Self.addresses(used))
        #expect(picked.map(\.description) == expected)
    }

    @Test func neverGivesTheFirstAddressEvenWhenEverythingElseIsTaken() throws {
        let block = try IPNetwork("10.1.0.0/30")
        let picked = try EndpointAddressPicker.pick(blocks: [block], used: Self.addresses(["10.1.0.1", "10.1.0.2"]))
        #expect(picked.map(\.description) == ["10.1.0.3"])
        let error = try #require(throws: AgentError.self) {
            try EndpointAddressPicker.pick(blocks: [block], used: Self.addresses(["10.1.0.1", "10.1.0.2", "10.1.0.3"]))
        }
        #expect(error.code == .exhausted)
        #expect(error.reason.contains("10.1.0.0/30"))
        #expect(error.reason.contains("IPPool"))
    }

    @Test func movesOnToTheNextBlockOfTheFamily() throws {
        let first = try IPNetwork("10.1.0.0/31"), second = try IPNetwork("10.1.0.64/26")
        let picked = try EndpointAddressPicker.pick(blocks: [first, second], used: Self.addresses(["10.1.0.1"]))
        #expect(picked.map(\.description) == ["10.1.0.65"])
    }

    @Test func onlyFamiliesWithABlockGetAnAddress() throws {
        #expect(try EndpointAddressPicker.pick(blocks: [Self.v6Block], used: []).map(\.description) == ["fd00:10:244::1"])
        #expect(try EndpointAddressPicker.pick(blocks: [Self.v4Block], used: []).map(\.description) == ["10.244.3.1"])
    }

    @Test func noBlockAtAllIsExhaustedAndSaysWhatToDo() throws {
        let error = try #require(throws: AgentError.self) { try EndpointAddressPicker.pick(blocks: [], used: []) }
        #expect(error.code == .exhausted)
        #expect(error.reason.contains("IPPool"))
    }

    @Test func aFullFamilyFailsEvenWhenTheOtherHasRoom() throws {
        let tiny = try IPNetwork("fd00::/127")
        let error = try #require(throws: AgentError.self) {
            try EndpointAddressPicker.pick(blocks: [Self.v4Block, tiny], used: Self.addresses(["fd00::1"]))
        }
        #expect(error.code == .exhausted)
        #expect(error.reason.contains("IPv6"))
    }

    @Test func aHugeBlockIsCheapBecauseOnlyUsedAddressesAreWalked() throws {
        let block = try IPNetwork("fd00:1::/64")
        let used = Set((1...200).map { try! IPAddress("fd00:1::\(String($0, radix: 16))") })
        #expect(try EndpointAddressPicker.pick(blocks: [block], used: used).map(\.description) == ["fd00:1::c9"])
    }

    @Test func hostInterfaceNamesAreStableShortAndDistinct() {
        let name = EndpointManager.hostInterfaceName(namespace: "default", name: "pod1")
        #expect(name == EndpointManager.hostInterfaceName(namespace: "default", name: "pod1"))
        #expect(name.rawValue.count == 13)
        #expect(name.rawValue.hasPrefix("wm"))
        #expect(name != EndpointManager.hostInterfaceName(namespace: "other", name: "pod1"))
        #expect(name != EndpointManager.hostInterfaceName(namespace: "default", name: "pod2"))
    }

    @Test func theLockLivesBesideTheControlSocket() {
        #expect(EndpointManager.lockPath(forControlSocket: "/run/wgmesh/wgmeshd.sock") == "/run/wgmesh/endpoints.lock")
        #expect(EndpointManager.lockPath(forControlSocket: "/tmp/x/d.sock") == "/tmp/x/endpoints.lock")
        #expect(EndpointManager.defaultLockPath == "/run/wgmesh/endpoints.lock")
    }
}
