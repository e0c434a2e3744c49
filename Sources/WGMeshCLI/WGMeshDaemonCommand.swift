public import ArgumentParser

/// The `wgmeshd` node service. It runs the mesh once the datastore lands.
public struct WGMeshDaemonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wgmeshd",
        abstract: "The wgmesh node service (not yet implemented: it arrives with the datastore).")

    public init() {}

    public func run() throws {
        throw ValidationError("wgmeshd is not implemented yet; use 'wgmesh wg' to manage devices by hand")
    }
}
