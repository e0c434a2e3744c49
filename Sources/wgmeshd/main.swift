import WGMeshCLI

// The command lives in WGMeshCLI so tests can parse it; this is only the
// async entry point.
await WGMeshDaemonCommand.runAsMain()
