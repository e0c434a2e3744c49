import Glibc
import WGMeshCLI

// wg-style commands skip ArgumentParser's start-up cost (see runWithoutParser).
if let status = WGMeshCommand.runWithoutParser(Array(CommandLine.arguments.dropFirst())) {
    exit(status)
}
WGMeshCommand.main()
