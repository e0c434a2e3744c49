import WGMeshCore
import WGMeshNetlink

/// Reads SET_DEVICE messages back into their parts, so fragmentation tests can
/// check every rule and that nothing was lost.
struct KernelSetMessage {
    struct Peer {
        var key: WireGuardKey
        var flags: UInt32 = 0
        var hasPresharedKey = false
        var endpoint: Endpoint?
        var keepalive: UInt16?
        var allowedIPs: [IPNetwork] = []
        var removedIPs: [IPNetwork] = []
    }

    var ifname = ""
    var hasPrivateKey = false
    var listenPort: UInt16?
    var fwmark: UInt32?
    var flags: UInt32?
    var peers: [Peer] = []
    var size = 0

    init(_ message: [UInt8]) throws {
        size = message.count
        var top = AttributeDecoder(message[20...])
        while top.next() {
            switch top.type {
            case 2: ifname = top.string()
            case 3: hasPrivateKey = true
            case 6: listenPort = top.u16()
            case 7: fwmark = top.u32()
            case 5: flags = top.u32()
            case 8:
                var list = top.nested()
                while list.nextElement() {
                    var element = list.nested()
                    var peer = Peer(key: .zero)
                    while element.next() {
                        switch element.type {
                        case 1: peer.key = try WireGuardKey(rawBytes: element.bytes())
                        case 2: peer.hasPresharedKey = true
                        case 3: peer.flags = element.u32()
                        case 4: peer.endpoint = Self.endpoint(element.bytes())
                        case 5: peer.keepalive = element.u16()
                        case 9:
                            var ips = element.nested()
                            while ips.nextElement() {
                                var ip = ips.nested()
                                var address: [UInt8] = []
                                var cidr = 0
                                var removing = false
                                while ip.next() {
                                    switch ip.type {
                                    case 2: address = Array(ip.bytes())
                                    case 3: cidr = Int(ip.u8())
                                    case 4: removing = ip.u32() & 1 != 0
                                    default: break
                                    }
                                }
                                let network = try IPNetwork(address: IPAddress(networkBytes: address), prefixLength: cidr)
                                if removing { peer.removedIPs.append(network) } else { peer.allowedIPs.append(network) }
                            }
                        default: break
                        }
                    }
                    peers.append(peer)
                }
            default: break
            }
        }
        if let error = top.error { throw error }
    }

    static func endpoint(_ bytes: ArraySlice<UInt8>) -> Endpoint? {
        let raw = Array(bytes)
        let port = UInt16(raw[2]) << 8 | UInt16(raw[3])
        if raw.count == 16 { return Endpoint(address: try! IPAddress(networkBytes: raw[4..<8]), port: port) }
        let scope = raw.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 24, as: UInt32.self) }
        return Endpoint(address: try! IPAddress(networkBytes: raw[8..<24]), port: port, scopeID: scope)
    }
}
