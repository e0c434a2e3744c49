public import ArgumentParser
internal import Glibc
internal import WGMeshCore

/// `wgmesh wg show`: wg(8)'s `show`, with its arguments and output.
public struct WGShowCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Shows the current configuration and device information (mirrors wg show).",
        discussion: """
            wgmesh wg show { <interface> | all | interfaces } [public-key | private-key | listen-port | \
            fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | \
            persistent-keepalive | dump]

            Output is byte for byte wg's: colours only on a terminal (WG_COLOR_MODE=always|never \
            overrides), keys hidden unless WG_HIDE_KEYS=never, peers with the latest handshake first.
            """)

    /// Everything after `show`, read by hand as wg reads it.
    @Argument(parsing: .captureForPassthrough, help: "{ <interface> | all | interfaces } [<field>]")
    public var arguments: [String] = []

    public init() {}

    public func run() throws {
        if Self.showedHelp(for: arguments) { return }
        try finish(Self.run(arguments, access: .live))
    }

    static let usage = """
        Usage: wg show { <interface> | all | interfaces } [public-key | private-key | listen-port | \
        fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | \
        persistent-keepalive | dump]
        """

    /// Runs `show` with `arguments`; returns wg's exit status.
    static func run(_ arguments: [String], access: WGDeviceAccess, now: Int64 = Int64(time(nil))) -> Int32 {
        guard arguments.count <= 2 else {
            WGOutput.printError(usage)
            return 1
        }
        let hide = getenv("WG_HIDE_KEYS").map { String(cString: $0) } != "never"
        let pretty = WGShowFormatter(style: .forStandardOutput(), showSecrets: !hide, now: now)
        let field = arguments.count == 2 ? arguments[1] : nil
        if arguments.isEmpty || arguments[0] == "all" {
            return showAll(field: field, access: access, pretty: pretty)
        }
        if arguments[0] == "interfaces" {
            guard arguments.count == 1 else {
                WGOutput.printError(usage)
                return 1
            }
            do {
                let names = try access.names()
                if !names.isEmpty { WGOutput.write(names.joined(separator: " ") + "\n") }
                return 0
            } catch {
                WGOutput.printError(error.message)
                return 1
            }
        }
        if arguments.count == 1 && ["-h", "--help", "help"].contains(arguments[0]) {
            WGOutput.printError(usage)
            return 0
        }
        let device: WireGuardDevice
        do {
            device = try access.device(arguments[0])
        } catch {
            WGOutput.printError(error.message)
            return 1
        }
        guard let field else {
            WGOutput.write(pretty.format(device))
            return 0
        }
        guard let text = WGDumpFormatter.format(device, field: field, withInterface: false) else {
            WGOutput.printError("Invalid parameter: `\(field)'\n" + usage)
            return 1
        }
        WGOutput.write(text)
        return 0
    }

    /// `show` or `show all [field]`: every device, a failing one reported and
    /// skipped; the status is 1 only when devices exist and none could be shown.
    private static func showAll(field: String?, access: WGDeviceAccess, pretty: WGShowFormatter) -> Int32 {
        let names: [String]
        do {
            names = try access.names()
        } catch {
            WGOutput.printError(error.message)
            return 1
        }
        var status: Int32 = names.isEmpty ? 0 : 1
        for (index, name) in names.enumerated() {
            let device: WireGuardDevice
            do {
                device = try access.device(name, context: "Unable to access interface \(name)")
            } catch {
                WGOutput.printError(error.message)
                continue
            }
            if let field {
                guard let text = WGDumpFormatter.format(device, field: field, withInterface: true) else {
                    WGOutput.printError("Invalid parameter: `\(field)'\n" + usage)
                    return 1
                }
                WGOutput.write(text)
            } else {
                WGOutput.write(pretty.format(device) + (index == names.count - 1 ? "" : "\n"))
            }
            status = 0
        }
        return status
    }
}
