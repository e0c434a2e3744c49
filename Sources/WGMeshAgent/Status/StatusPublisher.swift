import Logging
import WGMeshCore
import WGMeshResources

/// Writes this node's view of its peers to the datastore for `wgmesh
/// status --cluster`, cheaply: only when a peer's state, key or endpoint
/// changed, or the last write is older than ``refreshSeconds`` (so readers
/// can tell a live view from an old one). Byte counters alone never cause
/// a write.
actor StatusPublisher {
    /// Writes one status; the datastore's `writeStatus` in the service.
    typealias Write = @Sendable (NodeStatus) async throws -> Void

    /// The longest a status goes unwritten while nothing changes.
    static let refreshSeconds: Int64 = 300

    private let write: Write
    private let logger: Logger
    /// What the last successful write said, for the change check.
    private var written: [PeerSignature]?
    /// When it was, in seconds since the Unix epoch.
    private var writtenAt: Int64?
    /// Whether a failure was logged as a warning and not yet followed by a success.
    private var failing = false

    /// Creates a publisher that writes with `write`.
    init(write: @escaping Write, logger: Logger) {
        self.write = write
        self.logger = logger
    }

    /// Reports and publishes every `interval` until cancelled. A report or
    /// write that fails is retried at the next interval.
    func run(every interval: Duration, report: @Sendable () async throws -> LocalStatus) async throws {
        while !Task.isCancelled {
            do {
                try await publish(report())
            } catch is CancellationError {
                return
            } catch {
                // Before the first apply there is nothing to report; that is normal at start.
                logger.debug("no status to publish yet: \(StatusReporter.message(for: error))")
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Writes `status` when it differs in what matters, or is due anyway;
    /// returns whether it wrote. Datastore errors are logged (a warning
    /// once, then debug until a write succeeds) and not thrown.
    @discardableResult
    func publish(_ status: LocalStatus) async -> Bool {
        let signature = status.peers.map(PeerSignature.init)
        guard Self.isDue(written: written, writtenAt: writtenAt, now: signature, at: status.observedAt) else {
            return false
        }
        do {
            try await write(status.nodeStatus)
        } catch {
            if failing {
                logger.debug("writing this node's status failed again: \(error)")
            } else {
                logger.warning("""
                    writing this node's status to the datastore failed: \(error); wgmesh status --cluster \
                    shows an older view of this node until a retry succeeds (every interval)
                    """)
                failing = true
            }
            return false
        }
        if failing { logger.info("writing this node's status works again") }
        failing = false
        written = signature
        writtenAt = status.observedAt
        logger.debug("published status", metadata: [
            "peers": "\(status.peers.count)", "unhealthy": "\(status.peers.filter { !$0.state.isHealthy }.count)",
        ])
        return true
    }

    /// Whether a status with peers `now` observed `at` must be written.
    static func isDue(written: [PeerSignature]?, writtenAt: Int64?, now: [PeerSignature], at: Int64) -> Bool {
        guard let written, let writtenAt else { return true }
        return written != now || at - writtenAt >= refreshSeconds
    }
}

/// What of a peer makes a status write worth it: not its counters.
struct PeerSignature: Hashable, Sendable {
    var nodeName: String?
    var publicKey: WireGuardKey
    var endpoint: String?
    var state: PeerState

    init(_ report: PeerReport) {
        nodeName = report.nodeName
        publicKey = report.publicKey
        endpoint = report.endpoint
        state = report.state
    }
}

extension LocalStatus {
    /// The status as the datastore stores it. A peer no node owns
    /// (`unexpected`) has an empty node name.
    var nodeStatus: NodeStatus {
        NodeStatus(updated: observedAt, peers: peers.map { peer in
            PeerStatus(node: peer.nodeName ?? "", publicKey: peer.publicKey, endpoint: peer.endpoint,
                       latestHandshake: peer.latestHandshake, receivedBytes: peer.receivedBytes,
                       sentBytes: peer.sentBytes, state: peer.state.rawValue)
        })
    }
}
