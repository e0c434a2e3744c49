import WGMeshNetlink

/// Lists links of kind `wireguard` with one RTM_GETLINK dump.
///
/// A small private helper so the kernel backend does not depend on the
/// routing module's client for one read.
enum KernelLinkList {
    /// `struct ifinfomsg`: family, pad, type, index, flags, change (16 bytes).
    struct InterfaceInfoHeader: BitwiseCopyable {
        var family: UInt8 = 0
        var pad: UInt8 = 0
        var type: UInt16 = 0
        var index: Int32 = 0
        var flags: UInt32 = 0
        var change: UInt32 = 0
    }

    static let getLink: UInt16 = 18 // RTM_GETLINK
    static let ifname: UInt16 = 3 // IFLA_IFNAME
    static let linkInfo: UInt16 = 18 // IFLA_LINKINFO
    static let infoKind: UInt16 = 1 // IFLA_INFO_KIND

    /// Names of every link whose kind is `kind`, sorted.
    static func names(ofKind kind: String, on socket: NetlinkSocket) throws(NetlinkError) -> [String] {
        var request = NetlinkMessageBuilder(type: getLink, flags: 0)
        request.appendFixedHeader(InterfaceInfoHeader())
        let replies = try socket.dump(request, operation: "list network links")
        var names: [String] = []
        for reply in replies where reply.type == 16 /* RTM_NEWLINK */ {
            var attributes = reply.attributes(afterHeaderOfSize: MemoryLayout<InterfaceInfoHeader>.size)
            var name: String?
            var linkKind: String?
            while attributes.next() {
                switch attributes.type {
                case ifname: name = attributes.string()
                case linkInfo:
                    var info = attributes.nested()
                    while info.next() {
                        if info.type == infoKind { linkKind = info.string() }
                    }
                default: break
                }
            }
            if let error = attributes.error { throw error }
            if let name, linkKind == kind { names.append(name) }
        }
        return names.sorted()
    }
}
