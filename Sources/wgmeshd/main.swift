import WGMeshCLI

WGMeshDaemonCommand.main()
