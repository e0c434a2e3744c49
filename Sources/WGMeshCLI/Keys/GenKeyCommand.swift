public import ArgumentParser

/// Placeholder for `wgmesh genkey`; replaced by the keys work.
public struct GenKeyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "genkey", abstract: "Not implemented yet.")
    public init() {}
}
