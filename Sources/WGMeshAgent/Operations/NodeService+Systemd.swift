extension NodeService {
    /// systemd: READY=1 once ready, WATCHDOG=1 while healthy, STATUS= with
    /// the peers' health, STOPPING=1 on the way out. Nothing when wgmeshd
    /// was not started by systemd (no `NOTIFY_SOCKET`).
    ///
    /// The parts are built after start-up (key, datastore, publish,
    /// interface), so the task starting means start-up is done; READY also
    /// waits, for a bounded time, for the health monitor's first good apply.
    func systemdParts(_ node: NodeContext) -> NodeParts {
        let notifier: SystemdNotifier
        do {
            guard let found = try SystemdNotifier.takeFromEnvironment() else { return NodeParts() }
            notifier = found
        } catch {
            // systemd will time the start out; the log says why.
            node.logger.error("not notifying systemd: \(error.reason)")
            return NodeParts()
        }
        let reporter = node.statusReporter
        let health = node.health
        let interface = node.interfaceName
        let supervisor = SystemdSupervisor(
            notifier: notifier,
            isReady: { health.isReady },
            problem: { health.problem },
            summary: {
                do {
                    return SystemdSupervisor.summary(try await reporter.report())
                } catch {
                    return "\(interface): peer status unavailable (\(error))"
                }
            },
            logger: node.logger)
        return NodeParts(tasks: [{ await supervisor.run() }])
    }
}
