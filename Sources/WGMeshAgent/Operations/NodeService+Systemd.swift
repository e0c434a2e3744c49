extension NodeService {
    /// systemd: READY=1 once ready, WATCHDOG=1 while healthy, STOPPING=1
    /// on the way out. (Contract stub: filled in by the systemd work.)
    func systemdParts(_ node: NodeContext) -> NodeParts {
        NodeParts()
    }
}
