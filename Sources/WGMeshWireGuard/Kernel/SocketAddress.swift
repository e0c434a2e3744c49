import Glibc
import WGMeshCore

/// Endpoints as the kernel's `WGPEER_A_ENDPOINT` carries them: a raw sockaddr.
///
/// glibc layout: `sockaddr_in` is family u16, port (big-endian) u16, address,
/// 8 zero bytes (16 in all); `sockaddr_in6` is family, port, flowinfo u32,
/// address (16), scope id u32 (28 in all). The kernel ignores other sizes.
enum SocketAddress {
    static let inet4Size = MemoryLayout<sockaddr_in>.size
    static let inet6Size = MemoryLayout<sockaddr_in6>.size

    /// Writes `endpoint` as a sockaddr into `out`, which must be ``size(of:)`` bytes.
    static func write(_ endpoint: Endpoint, into out: UnsafeMutableRawBufferPointer) {
        for index in out.indices { out[index] = 0 }
        out.storeBytes(of: endpoint.address.family.addressFamily, toByteOffset: 0, as: UInt16.self)
        out.storeBytes(of: endpoint.port.bigEndian, toByteOffset: 2, as: UInt16.self)
        endpoint.address.withUnsafeBytes { address in
            let at = endpoint.address.family == .v4 ? 4 : 8
            UnsafeMutableRawBufferPointer(rebasing: out[at..<at + address.count]).copyMemory(from: address)
        }
        if endpoint.address.family == .v6 {
            out.storeBytes(of: endpoint.scopeID, toByteOffset: 24, as: UInt32.self)
        }
    }

    /// The sockaddr size for the endpoint's family.
    static func size(of endpoint: Endpoint) -> Int {
        endpoint.address.family == .v4 ? inet4Size : inet6Size
    }

    /// Reads a sockaddr_in or sockaddr_in6; nil for any other family or size.
    static func read(_ raw: UnsafeRawBufferPointer) -> Endpoint? {
        guard raw.count >= 2 else { return nil }
        let family = raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self)
        if family == UInt16(AF_INET), raw.count >= inet4Size {
            let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            let address = IPAddress(family: .v4, unsafeBytes: UnsafeRawBufferPointer(rebasing: raw[4..<8]))
            return Endpoint(address: address, port: port)
        }
        if family == UInt16(AF_INET6), raw.count >= inet6Size {
            let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            let address = IPAddress(family: .v6, unsafeBytes: UnsafeRawBufferPointer(rebasing: raw[8..<24]))
            let scope = raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
            return Endpoint(address: address, port: port, scopeID: scope)
        }
        return nil
    }
}
