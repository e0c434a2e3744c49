public import ArgumentParser

/// Placeholder for `wgmesh genpsk`; replaced by the keys work.
public struct GenPSKCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "genpsk", abstract: "Not implemented yet.")
    public init() {}
}
