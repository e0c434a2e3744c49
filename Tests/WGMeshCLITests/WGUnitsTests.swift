import Testing
import WGMeshCore
@testable import WGMeshCLI

/// wg's human units: durations, "ago", and byte counts.
@Suite("wg show units")
struct WGUnitsTests {
    static let plain = WGTerminalStyle(isEnabled: false)

    @Test("durations", arguments: [
        (1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (65, "1 minute, 5 seconds"),
        (3661, "1 hour, 1 minute, 1 second"), (86_400, "1 day"), (172_800 + 7200, "2 days, 2 hours"),
        (31_536_000, "1 year"), (31_536_000 * 2 + 86_400 + 1, "2 years, 1 day, 1 second"), (0, ""),
    ] as [(UInt64, String)])
    func duration(_ seconds: UInt64, _ expected: String) {
        #expect(WGUnits.duration(seconds, style: Self.plain) == expected)
    }

    @Test("ago: now, past, and a clock that went backwards")
    func ago() {
        let time = Timestamp(seconds: 1000, nanoseconds: 5)
        #expect(WGUnits.ago(time, now: 1000, style: Self.plain) == "Now")
        #expect(WGUnits.ago(time, now: 1065, style: Self.plain) == "1 minute, 5 seconds ago")
        #expect(WGUnits.ago(time, now: 999, style: Self.plain)
            == "(System clock wound backward; connection problems may ensue.)")
    }

    @Test("bytes, with printf's rounding", arguments: [
        (0, "0 B"), (1023, "1023 B"), (1024, "1.00 KiB"), (4380, "4.28 KiB"), (1_896_328, "1.81 MiB"),
        (1_048_575, "1024.00 KiB"), (3 << 30, "3.00 GiB"), (5 << 40, "5.00 TiB"), (1_610_612_736, "1.50 GiB"),
    ] as [(UInt64, String)])
    func bytes(_ count: UInt64, _ expected: String) {
        #expect(WGUnits.bytes(count, style: Self.plain) == expected)
    }

    @Test("peers that never shook hands go last; ties keep device order")
    func sort() throws {
        func peer(_ byte: UInt8, _ seconds: Int64?) throws -> WireGuardPeer {
            WireGuardPeer(
                publicKey: try WireGuardKey(rawBytes: [UInt8](repeating: byte, count: 32)),
                lastHandshake: seconds.map { Timestamp(seconds: $0) })
        }
        let peers = [try peer(1, nil), try peer(2, 100), try peer(3, nil), try peer(4, 300), try peer(5, 100)]
        let order = WGShowFormatter.sortedForDisplay(peers).map { $0.publicKey.rawBytes[0] }
        #expect(order == [4, 2, 5, 1, 3])
    }
}
