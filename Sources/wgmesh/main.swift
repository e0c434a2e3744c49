import WGMeshCLI

WGMeshCommand.main()
