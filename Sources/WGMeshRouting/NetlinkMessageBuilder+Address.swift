import WGMeshCore
internal import WGMeshNetlink

extension NetlinkMessageBuilder {
    /// Appends an address attribute: 4 or 16 bytes in network order, as rtnetlink wants.
    mutating func put(_ type: UInt16, address: IPAddress) {
        address.withUnsafeBytes { bytes in _ = put(type, bytes: bytes) }
    }
}
