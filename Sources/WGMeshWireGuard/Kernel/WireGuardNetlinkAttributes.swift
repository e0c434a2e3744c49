/// Numbers from the kernel's `include/uapi/linux/wireguard.h`, in Swift.
///
/// Spelled out rather than imported because Debian 12's header predates
/// `WGALLOWEDIP_A_FLAGS`, and keeping them in one place lets the encoder,
/// decoder and tests agree without importing C.
enum WireGuardNetlink {
    /// `WG_GENL_NAME`.
    static let familyName = "wireguard"
    /// `WG_GENL_VERSION`.
    static let version: UInt8 = 1
    /// `WG_KEY_LEN`.
    static let keyLength = 32

    enum Command {
        static let getDevice: UInt8 = 0
        static let setDevice: UInt8 = 1
    }

    /// `WGDEVICE_A_*`.
    enum Device {
        static let ifindex: UInt16 = 1
        static let ifname: UInt16 = 2
        static let privateKey: UInt16 = 3
        static let publicKey: UInt16 = 4
        static let flags: UInt16 = 5
        static let listenPort: UInt16 = 6
        static let fwmark: UInt16 = 7
        static let peers: UInt16 = 8
        /// `WGDEVICE_F_REPLACE_PEERS`.
        static let replacePeersFlag: UInt32 = 1
    }

    /// `WGPEER_A_*`.
    enum Peer {
        static let publicKey: UInt16 = 1
        static let presharedKey: UInt16 = 2
        static let flags: UInt16 = 3
        static let endpoint: UInt16 = 4
        static let persistentKeepalive: UInt16 = 5
        static let lastHandshakeTime: UInt16 = 6
        static let rxBytes: UInt16 = 7
        static let txBytes: UInt16 = 8
        static let allowedIPs: UInt16 = 9
        static let protocolVersion: UInt16 = 10
        /// `WGPEER_F_REMOVE_ME`.
        static let removeFlag: UInt32 = 1
        /// `WGPEER_F_REPLACE_ALLOWEDIPS`.
        static let replaceAllowedIPsFlag: UInt32 = 2
        /// `WGPEER_F_UPDATE_ONLY`.
        static let updateOnlyFlag: UInt32 = 4
    }

    /// `WGALLOWEDIP_A_*`.
    enum AllowedIP {
        static let family: UInt16 = 1
        static let ipAddress: UInt16 = 2
        static let cidrMask: UInt16 = 3
        /// `WGALLOWEDIP_A_FLAGS`: newer kernels only; older ones reject it with EINVAL.
        static let flags: UInt16 = 4
        /// `WGALLOWEDIP_F_REMOVE_ME`.
        static let removeFlag: UInt32 = 1
    }
}
