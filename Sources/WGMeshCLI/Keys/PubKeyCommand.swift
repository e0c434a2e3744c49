public import ArgumentParser

/// Placeholder for `wgmesh pubkey`; replaced by the keys work.
public struct PubKeyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "pubkey", abstract: "Not implemented yet.")
    public init() {}
}
