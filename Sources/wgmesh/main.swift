import Glibc
import WGMeshCLI

let arguments = Array(CommandLine.arguments.dropFirst())
// wg-style commands skip ArgumentParser's start-up cost (see runWithoutParser).
if let status = WGMeshCommand.runWithoutParser(arguments) {
    exit(status)
}
// The root is async: datastore and control commands await their work here, on the main task,
// instead of blocking a thread on a semaphore.
await WGMeshCommand.runAsMain(WGMeshCommand.hoistingGlobalOptions(arguments))
