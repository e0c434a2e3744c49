import ArgumentParser
import Logging
import ServiceLifecycle
import WGMeshAgent
import WGMeshCore

/// What `wgmeshd` does once its config is checked: clean up, or run the
/// node service until SIGTERM or SIGINT.
enum DaemonRunner {
    /// Sets up logging, then runs the cleanup or the service.
    static func run(config: AgentConfig, cleanup: Bool) async throws {
        let logger = makeLogger(config)
        if cleanup {
            try runCleanup(config: config, logger: logger)
            return
        }
        logger.info("wgmeshd \(WGMeshVersion.current) starting", metadata: [
            "datastore": "\(config.datastore)",
            "state.dir": "\(config.stateDirectory)",
            "wireguard.backend": "\(config.backend.rawValue)",
        ])
        // SIGTERM and SIGINT end the service gracefully: it stops its tasks
        // and leaves the dataplane as it is, so traffic keeps flowing.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: NodeService(config: config, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
        } catch {
            logger.critical("wgmeshd stopped: \(error)")
            throw ExitCode.failure
        }
    }

    /// `--cleanup`: one line on stdout per thing removed.
    private static func runCleanup(config: AgentConfig, logger: Logger) throws {
        do {
            for line in try NodeCleanup.run(config: config, logger: logger) {
                WGOutput.write(line + "\n")
            }
        } catch {
            WGOutput.printError("wgmeshd --cleanup: \(error)")
            throw ExitCode.failure
        }
    }

    /// Logs go to stderr (journald records it) at the configured level,
    /// every entry tagged with the node's name. Bootstrapped once: `run`
    /// is called once per process.
    private static func makeLogger(_ config: AgentConfig) -> Logger {
        let level = config.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "wgmeshd")
        logger.logLevel = level
        logger[metadataKey: "node.name"] = "\(config.nodeName)"
        return logger
    }
}
