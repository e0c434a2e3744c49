/// Real UAPI replies, captured on this host from wireguard-go 0.0.20220316 (Debian 12).
///
/// `wireguardGoGet` is `get=1` against a device with a fwmark and two peers: one with a PSK,
/// keepalive, a completed handshake over loopback and v4+v6 allowed IPs; one with a v6
/// endpoint and no PSK (reported as 64 zeros). The keys are throwaway keys made for the capture.
/// Each literal ends in a blank line, as on the wire.
enum UserspaceFixtures {
    static let wireguardGoGet = """
        private_key=80f3d1b6443d98656441673834d8148c47914601fbab3cdbd667b06276ed4a65
        listen_port=51901
        fwmark=4660
        public_key=666663126d7e35cc5e6921c827fe485c3dd8568b428e08e6f70772b930a8f461
        preshared_key=d0f4975966909be329190a3278e27d31d4b11b148ed4f6dab84fff2c91f255bc
        protocol_version=1
        endpoint=127.0.0.1:51902
        last_handshake_time_sec=1795550534
        last_handshake_time_nsec=653524705
        tx_bytes=244
        rx_bytes=92
        persistent_keepalive_interval=1
        allowed_ip=10.0.0.2/32
        allowed_ip=fd00::2/128
        public_key=543e74da0b7e74f71488a011f55055d1e5308c7504a8528098333ce465f25a67
        preshared_key=0000000000000000000000000000000000000000000000000000000000000000
        protocol_version=1
        endpoint=[2001:db8::5]:443
        last_handshake_time_sec=0
        last_handshake_time_nsec=0
        tx_bytes=0
        rx_bytes=0
        persistent_keepalive_interval=0
        allowed_ip=192.168.0.0/16
        allowed_ip=10.20.0.0/24
        errno=0


        """

    /// A boringtun-style reply, per the protocol notes: `own_public_key` instead of `private_key`,
    /// the handshake as seconds since (42.5 s ago), no protocol_version, positive errno.
    static let boringtunGet = """
        own_public_key=3fc4c5e78faae21460559dc56f57347348b0d9e4934dc518cdae5bbe02d4a542
        listen_port=51820
        fwmark=0
        public_key=666663126d7e35cc5e6921c827fe485c3dd8568b428e08e6f70772b930a8f461
        endpoint=[2001:db8::1]:51820
        last_handshake_time_sec=42
        last_handshake_time_nsec=500000000
        rx_bytes=1000
        tx_bytes=2000
        persistent_keepalive_interval=25
        allowed_ip=10.0.0.0/8
        errno=0


        """
}
