import Testing
import WGMeshCore
@testable import WGMeshCLI

/// The formatters against real wg output (see WGFixtures), byte for byte.
///
/// The devices were set up with:
///   wireguard-go wgfmt0; wireguard-go wgfmt1
///   wg set wgfmt0 private-key priv0 listen-port 51820 fwmark 0x1234 \
///     peer <wgfmt1> preshared-key psk endpoint 127.0.0.1:51821 persistent-keepalive 25 allowed-ips 10.9.0.2/32 \
///     peer FTPw... endpoint 192.0.2.1:51820 persistent-keepalive 3661 allowed-ips 10.1.0.0/16,fd00::/64,10.0.0.1/32 \
///     peer ZVwB... endpoint [2001:db8::1]:51821 allowed-ips 10.2.0.0/24 \
///     peer Jfkd...
///   wg set wgfmt1 private-key priv1 listen-port 51821 peer <wgfmt0> preshared-key psk \
///     endpoint 127.0.0.1:51820 allowed-ips 10.9.0.1/32
///   wgfmt1 moved to a namespace, addresses on both, 1500 UDP datagrams of 1200 bytes sent through.
@Suite("wg output formatters match wg byte for byte")
struct WGFormatterTests {
    static let psk = try! SecretKey(base64: "iqRVkk69F0Zc+z0GBb+EDS/aind1VVPryGXQXQDGPYw=")
    static let handshake = Timestamp(seconds: 1_795_550_380, nanoseconds: 123_456_789)

    static let wgfmt0Peers: [WireGuardPeer] = [
        WireGuardPeer(
            publicKey: key("zWNgXxtK6Fe4fQA8XCY9XW158H/z5WDlOMrxud/NlFQ="), presharedKey: psk,
            endpoint: try! Endpoint("127.0.0.1:51821"), persistentKeepalive: 25, lastHandshake: handshake,
            rxBytes: 4380, txBytes: 1_896_328, allowedIPs: [try! IPNetwork("10.9.0.2/32")]),
        WireGuardPeer(
            publicKey: key("FTPwToG1NfWMy+i2jJ/0bwzPIXz4y+7WJS161TdyxBQ="), endpoint: try! Endpoint("192.0.2.1:51820"),
            persistentKeepalive: 3661, txBytes: 592,
            allowedIPs: [try! IPNetwork("10.1.0.0/16"), try! IPNetwork("fd00::/64"), try! IPNetwork("10.0.0.1/32")]),
        WireGuardPeer(
            publicKey: key("ZVwB/xpBy2mNpQRP9xcSp/qvgyWHY1cEF5Rz9WknOhU="),
            endpoint: try! Endpoint("[2001:db8::1]:51821"), txBytes: 592, allowedIPs: [try! IPNetwork("10.2.0.0/24")]),
        WireGuardPeer(publicKey: key("JfkdjKA5yD317ivkvHXekL++8a2DNZApp0NvFuNUvmo=")),
    ]

    static let wgfmt0 = WireGuardDevice(
        name: "wgfmt0", privateKey: try! SecretKey(base64: "4Mi/89tbbCCB1uyIfedZEdabcTIBDlSj6RgXR/Szum8="),
        publicKey: key("S1iDNEibtc1KPTZ1YPU965eD7FkJaFmXW50ivc+Jjzk="), listenPort: 51820, fwmark: 0x1234,
        peers: wgfmt0Peers)

    static let wgfmt1 = WireGuardDevice(
        name: "wgfmt1", privateKey: try! SecretKey(base64: "eBjyys3ntmpczdCqHwow7dtCmT5n/bh1hwu1udaEc2A="),
        publicKey: key("zWNgXxtK6Fe4fQA8XCY9XW158H/z5WDlOMrxud/NlFQ="), listenPort: 51821,
        peers: [
            WireGuardPeer(
                publicKey: key("S1iDNEibtc1KPTZ1YPU965eD7FkJaFmXW50ivc+Jjzk="), presharedKey: psk,
                endpoint: try! Endpoint("127.0.0.1:51820"), lastHandshake: handshake, rxBytes: 1_896_180,
                txBytes: 4380, allowedIPs: [try! IPNetwork("10.9.0.1/32")])
        ])

    static func key(_ text: String) -> WireGuardKey { try! WireGuardKey(base64: text) }

    /// `device` with its peers in the order their keys first appear in `text`.
    static func ordered(_ device: WireGuardDevice, like text: String) -> WireGuardDevice {
        var copy = device
        func position(_ peer: WireGuardPeer) -> String.Index {
            text.firstRange(of: peer.publicKey.base64)?.lowerBound ?? text.endIndex
        }
        copy.peers.sort { position($0) < position($1) }
        return copy
    }

    static func fixture(_ name: String) throws -> String { try #require(WGFixtures.outputs[name]) }

    static let plain = WGShowFormatter(style: WGTerminalStyle(isEnabled: false), showSecrets: false, now: WGFixtures.now)

    @Test("wg show IFACE, peers sorted by latest handshake, ties in device order")
    func show() throws {
        // Device order with the handshaking peer third: the sort must lift it
        // to the top and keep the other three in their order.
        var device = Self.wgfmt0
        device.peers = [Self.wgfmt0Peers[1], Self.wgfmt0Peers[2], Self.wgfmt0Peers[0], Self.wgfmt0Peers[3]]
        #expect(Self.plain.format(device) == (try Self.fixture("show")))
    }

    @Test("WG_HIDE_KEYS=never prints the private and preshared keys")
    func showSecrets() throws {
        var formatter = Self.plain
        formatter.showSecrets = true
        #expect(formatter.format(Self.wgfmt0) == (try Self.fixture("show_nohide")))
    }

    @Test("wg show all: devices separated by one blank line")
    func showAll() throws {
        let expected = try Self.fixture("show_all")
        let text = Self.plain.format(Self.ordered(Self.wgfmt0, like: expected)) + "\n" + Self.plain.format(Self.wgfmt1)
        #expect(text == expected)
    }

    @Test("wg showconf IFACE")
    func showconf() throws {
        let expected = try Self.fixture("showconf")
        #expect(WGConfFormatter.format(Self.ordered(Self.wgfmt0, like: expected)) == expected)
    }

    @Test("wg show IFACE <field> and dump", arguments: WGDumpFormatter.fields)
    func field(_ field: String) throws {
        let expected = try Self.fixture(field == "dump" ? "dump" : "field_\(field)")
        let device = Self.ordered(Self.wgfmt0, like: expected)
        #expect(WGDumpFormatter.format(device, field: field, withInterface: false) == expected)
    }

    @Test("wg show all <field> and dump", arguments: WGDumpFormatter.fields)
    func allField(_ field: String) throws {
        let expected = try Self.fixture(field == "dump" ? "all_dump" : "all_field_\(field)")
        let first = WGDumpFormatter.format(Self.ordered(Self.wgfmt0, like: expected), field: field, withInterface: true)
        let second = WGDumpFormatter.format(Self.wgfmt1, field: field, withInterface: true)
        #expect((first ?? "") + (second ?? "") == expected)
    }

    @Test("an unknown field is refused")
    func unknownField() {
        #expect(WGDumpFormatter.format(Self.wgfmt0, field: "bogus", withInterface: false) == nil)
    }

    @Test("a fresh device: no keys, no peers (captured from wireguard-go wgfmt2)")
    func freshDevice() {
        let device = WireGuardDevice(name: "wgfmt2", listenPort: 56573)
        #expect(Self.plain.format(device) == "interface: wgfmt2\n  listening port: 56573\n")
        #expect(WGDumpFormatter.format(device, field: "dump", withInterface: false) == "(none)\t(none)\t56573\toff\n")
        #expect(WGDumpFormatter.format(device, field: "private-key", withInterface: false) == "(none)\n")
        #expect(WGDumpFormatter.format(device, field: "peers", withInterface: false) == "")
        #expect(WGConfFormatter.format(device) == "[Interface]\nListenPort = 56573\n\n")
    }

    @Test("colours appear only when the style is on, with wg's escape codes")
    func colour() {
        let coloured = WGShowFormatter(style: WGTerminalStyle(isEnabled: true), showSecrets: false, now: WGFixtures.now)
        let text = coloured.format(Self.wgfmt1)
        #expect(text.hasPrefix("\u{1B}[0m\u{1B}[32m\u{1B}[1minterface\u{1B}[0m: \u{1B}[32mwgfmt1\u{1B}[0m\n"))
        #expect(text.contains("10.9.0.1\u{1B}[36m/\u{1B}[0m32"))
        #expect(!Self.plain.format(Self.wgfmt1).contains("\u{1B}"))
    }
}
