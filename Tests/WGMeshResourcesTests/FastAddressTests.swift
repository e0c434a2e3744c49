import Testing
import WGMeshCore
@testable import WGMeshResources

/// The byte-level IPv4 path must agree with WGMeshCore's parsers on every input.
@Suite struct FastAddressTests {
    @Test(arguments: [
        "0.0.0.0", "192.0.2.1", "255.255.255.255", "10.65.0.0", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4",
        "1..2.3", "1.2.3.", " 1.2.3.4", "fd00::1", "::ffff:1.2.3.4", "", "a.b.c.d", "1.2.3.4/24",
    ])
    func addressesAgree(text: String) {
        let fast = Result { () throws(InvalidInputError) in try FastAddress.address(text) }
        let core = Result { () throws(InvalidInputError) in try IPAddress(text) }
        #expect(fast == core)
    }

    @Test(arguments: [
        "10.65.0.0/26", "10.65.0.1/26", "0.0.0.0/0", "1.2.3.4/32", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/024", "1.2.3.4",
        "1.2.3.4/2a", "fd00::/64", "fd00::5/128", "300.1.1.1/8", " 10.0.0.0/8 ", "10.0.0.0//8",
    ])
    func networksAgree(text: String) {
        let fast = Result { () throws(InvalidInputError) in try FastAddress.network(text) }
        let core = Result { () throws(InvalidInputError) in try IPNetwork(text) }
        #expect(fast == core)
    }
}
