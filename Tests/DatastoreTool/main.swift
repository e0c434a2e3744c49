import Glibc

// wgmesh-dstool: drives a datastore from a separate process, for the
// multi-process tests (concurrent writers, cross-process watchers) and the
// datastore benchmarks. See ToolCommand for the subcommands.

do {
    let command = try ToolCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    try await command.run()
    exit(0)
} catch let error as ToolError where error.isUsage {
    ToolOutput.error("wgmesh-dstool: \(error.reason)\n\n\(ToolCommand.usage)")
    exit(2)
} catch {
    ToolOutput.error("wgmesh-dstool: \(error)")
    exit(1)
}
