internal import Glibc
internal import WGMeshCore
internal import WGMeshWireGuard

/// The three ways wg applies a configuration file, and the work they share.
enum WGConfMode: String, Sendable {
    /// Replace the device's whole configuration.
    case setconf
    /// Add the file's peers and settings to what is there.
    case addconf
    /// Send only what differs between the device and the file.
    case syncconf

    /// Runs the subcommand with `arguments` (interface, file); returns wg's exit status.
    func run(_ arguments: [String], access: WGDeviceAccess) -> Int32 {
        guard arguments.count == 2 else {
            WGOutput.printError("Usage: wg \(rawValue) <interface> <configuration filename>")
            return 1
        }
        let name = arguments[0]
        do {
            // The whole file is checked before the device is touched.
            let file = try WGConfigFile.read(path: arguments[1])
            for warning in file.warnings { WGOutput.printError(warning) }
            switch self {
            case .setconf: try access.configure(name, with: file.setConfiguration)
            case .addconf: try access.configure(name, with: file.addConfiguration)
            case .syncconf: try sync(file, to: name, access: access)
            }
            return 0
        } catch {
            WGOutput.printError(error.message)
            // wg names no line; scripts compare its exact text, so the line
            // number is added only for a person at a terminal.
            if let line = error.line, isatty(STDERR_FILENO) == 1 {
                WGOutput.printError("wgmesh: see line \(line) of \(arguments[1])")
            }
            return 1
        }
    }

    private func sync(_ file: WGConfigFile, to name: String, access: WGDeviceAccess) throws(WGToolError) {
        let (access, removal) = try access.owner(of: name)
        let device = try access.device(name, context: "Unable to retrieve current interface configuration")
        let changes: DeviceConfig
        do {
            changes = try WireGuardDiff.changes(
                from: device, to: file.desiredDevice(current: device), allowedIPRemoval: removal)
        } catch {
            throw WGToolError(.invalidConfiguration, "Invalid configuration: \(error.reason)")
        }
        guard !changes.isEmpty else {
            WGOutput.reportMessages(0)
            return
        }
        try access.configure(name, with: changes)
    }
}
