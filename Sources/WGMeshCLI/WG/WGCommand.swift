public import ArgumentParser

/// Placeholder for `wgmesh wg`; replaced by the wg-compatible commands.
public struct WGCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "wg", abstract: "Not implemented yet.")
    public init() {}
}
