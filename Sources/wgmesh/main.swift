import Glibc
import WGMeshCLI

let arguments = Array(CommandLine.arguments.dropFirst())
// wg-style commands skip ArgumentParser's start-up cost (see runWithoutParser).
if let status = WGMeshCommand.runWithoutParser(arguments) {
    exit(status)
}
WGMeshCommand.main(WGMeshCommand.hoistingGlobalOptions(arguments))
