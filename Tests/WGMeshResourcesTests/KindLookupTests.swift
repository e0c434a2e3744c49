import Testing
@testable import WGMeshResources

@Suite struct KindLookupTests {
    @Test(arguments: [
        ("ippool", "IPPool"), ("IPPool", "IPPool"), ("IPPools", "IPPool"), ("ippools", "IPPool"), ("pools", "IPPool"),
        ("pool", "IPPool"), ("node", "Node"), ("NODES", "Node"), ("no", "Node"), ("wep", "WorkloadEndpoint"),
        ("WorkloadEndpoints", "WorkloadEndpoint"), ("endpoint", "WorkloadEndpoint"), ("blockaffinity", "BlockAffinity"),
        ("affinities", "BlockAffinity"), ("encryption", "EncryptionConfig"), ("encryptionconfigs", "EncryptionConfig"),
    ])
    func lookupAcceptsNamesPluralsAndAliases(text: String, kind: String) throws {
        let type = try #require(ResourceKind.lookup(text))
        #expect(type.kind.name == kind)
    }

    @Test(arguments: ["", "pod", "ippoolz", "networkpolicy", "IP Pool"])
    func lookupRefusesOthers(text: String) {
        #expect(ResourceKind.lookup(text) == nil)
    }

    @Test func namedIsExactAndCaseSensitive() {
        #expect(ResourceKind.named("IPPool")?.kind.name == "IPPool")
        #expect(ResourceKind.named("ippool") == nil)
        #expect(ResourceKind.named("ippools") == nil)
        #expect(ResourceKind.named("WorkloadEndpoint")?.kind.name == "WorkloadEndpoint")
    }

    @Test func registryNamesAreUnique() {
        var seen = Set<String>()
        for type in ResourceKind.all {
            let kind = type.kind
            for name in [kind.name.lowercased(), kind.plural] + kind.aliases {
                #expect(seen.insert(name).inserted, "\(name) is used twice")
                #expect(name == name.lowercased())
            }
        }
        #expect(ResourceKind.all.count == 5)
    }
}
