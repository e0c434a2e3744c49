import Logging
import Synchronization
import Testing
import WGMeshCore
import WGMeshResources
@testable import WGMeshAgent

/// Publishing is cheap: a write only when a peer's state, key or endpoint
/// changes, or every 5 minutes; failures are retried, not thrown.
@Suite struct StatusPublisherTests {
    static let key = try! WireGuardKey(rawBytes: [UInt8](repeating: 2, count: 32))

    /// Records writes and can fail them.
    final class Recorder: Sendable {
        let writes = Mutex<[NodeStatus]>([])
        let failing = Mutex(false)

        var write: StatusPublisher.Write {
            { status in
                if self.failing.withLock({ $0 }) { throw AgentError(.datastore, "the datastore is down") }
                self.writes.withLock { $0.append(status) }
            }
        }
        var count: Int { writes.withLock { $0.count } }
    }

    static func status(at time: Int64, state: PeerState = .ok, sent: UInt64 = 100, endpoint: String = "10.99.0.2:51820")
        -> LocalStatus
    {
        LocalStatus(nodeName: "node-1", interfaceName: "wg0", publicKey: nil, listenPort: 51820, fwmark: 0,
                    backend: "kernel", mtu: 1420, observedAt: time, peers: [
                        PeerReport(nodeName: "node-2", publicKey: key, endpoint: endpoint,
                                   allowedIPs: [try! IPNetwork("10.244.2.0/24")], latestHandshake: time - 3,
                                   receivedBytes: sent * 2, sentBytes: sent, state: state, reason: "r"),
                    ])
    }

    @Test func writesOnChangeAndRefreshOnly() async {
        let recorder = Recorder()
        let publisher = StatusPublisher(write: recorder.write, logger: Logger(label: "test"))
        #expect(await publisher.publish(Self.status(at: 1000)))
        // Counters and handshake times move: no write.
        #expect(await !publisher.publish(Self.status(at: 1030, sent: 5000)))
        #expect(await !publisher.publish(Self.status(at: 1299, sent: 9000)))
        // A state change writes at once.
        #expect(await publisher.publish(Self.status(at: 1300, state: .stale)))
        // So does an endpoint change (the peer roamed).
        #expect(await publisher.publish(Self.status(at: 1310, state: .stale, endpoint: "10.99.1.2:51820")))
        // Nothing changes for 5 minutes: one refresh write.
        #expect(await !publisher.publish(Self.status(at: 1609, state: .stale, endpoint: "10.99.1.2:51820")))
        #expect(await publisher.publish(Self.status(at: 1610, state: .stale, endpoint: "10.99.1.2:51820")))
        #expect(recorder.count == 4)
        let last = recorder.writes.withLock { $0.last! }
        #expect(last.updated == 1610)
        #expect(last.peers == [PeerStatus(node: "node-2", publicKey: Self.key, endpoint: "10.99.1.2:51820",
                                          latestHandshake: 1607, receivedBytes: 200, sentBytes: 100, state: "stale")])
    }

    @Test func aFailedWriteIsRetriedNextTime() async {
        let recorder = Recorder()
        let publisher = StatusPublisher(write: recorder.write, logger: Logger(label: "test"))
        recorder.failing.withLock { $0 = true }
        #expect(await !publisher.publish(Self.status(at: 1000)))
        #expect(await !publisher.publish(Self.status(at: 1030)))
        recorder.failing.withLock { $0 = false }
        // Nothing changed, but nothing was written yet either.
        #expect(await publisher.publish(Self.status(at: 1060)))
        #expect(recorder.count == 1)
    }

    @Test func unexpectedPeersHaveAnEmptyNodeName() {
        var status = Self.status(at: 5)
        status.peers[0].nodeName = nil
        status.peers[0].state = .unexpected
        #expect(status.nodeStatus.peers[0].node == "")
        #expect(status.nodeStatus.peers[0].state == "unexpected")
    }

    @Test func runPublishesUntilCancelled() async throws {
        let recorder = Recorder()
        let publisher = StatusPublisher(write: recorder.write, logger: Logger(label: "test"))
        let reports = Mutex<Int64>(0)
        let task = Task {
            try await publisher.run(every: .milliseconds(1)) {
                let count = reports.withLock { value -> Int64 in value += 1; return value }
                // The first report fails (no plan yet): the loop goes on.
                if count == 1 { throw AgentError(.dataplane, "no plan yet") }
                return Self.status(at: 1000 + count, state: count % 2 == 0 ? .ok : .never)
            }
        }
        while recorder.count < 3 { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        _ = try? await task.value
        #expect(recorder.count >= 3)
        #expect(reports.withLock { $0 } >= 4)
    }
}
