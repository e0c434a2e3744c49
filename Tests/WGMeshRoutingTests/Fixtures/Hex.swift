/// Bytes from hex text; whitespace and newlines are ignored so captures can wrap.
func hex(_ text: String) -> [UInt8] {
    let digits = text.utf8.filter { $0 > 32 }
    precondition(digits.count % 2 == 0, "odd number of hex digits in a fixture")
    func nibble(_ char: UInt8) -> UInt8 {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        default: preconditionFailure("'\(Character(Unicode.Scalar(char)))' is not a lowercase hex digit")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// A message with its sequence number and port id zeroed, the two fields that differ run to run.
func withoutSequenceAndPort(_ message: [UInt8]) -> [UInt8] {
    var copy = message
    for index in 8..<16 where index < copy.count { copy[index] = 0 }
    return copy
}

/// The payload after `nlmsghdr`, as NetlinkReply hands it to decoders.
func payload(_ message: [UInt8]) -> ArraySlice<UInt8> { message[16...] }
