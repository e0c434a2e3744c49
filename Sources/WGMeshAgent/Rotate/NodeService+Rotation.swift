import Logging
import WGMeshResources

extension NodeService {
    /// Key rotation: the `rotate-key` command, the schedule
    /// (`--key-rotation-interval`) and requests from other nodes.
    func rotationParts(_ node: NodeContext) -> NodeParts {
        let rotator = KeyRotator(node)
        let applyClock = node.reconciler.applyClock
        var parts = NodeParts(commands: [.rotateKey: {
            if let busy = await Self.applyStillRunning(applyClock) { return busy }
            return await Self.rotateKeyCommand(rotator)
        }])
        if let interval = node.config.keyRotationInterval {
            let schedule = RotationSchedule(rotator: rotator, interval: interval, logger: node.logger)
            parts.tasks.append { await schedule.run() }
        }
        var follower = RotationRequestFollower(rotator: rotator, store: node.store, nodeName: node.config.nodeName,
                                               logger: node.logger)
        follower.isReady = { node.health.isReady }
        let requests = follower
        parts.tasks.append { await requests.run() }
        return parts
    }

    /// A refusal when an apply has been running for longer than ``applyPatience`` (a stopped
    /// wireguard-go, a stuck netlink call): the rotation must wait for the reconciler, so the
    /// request is answered at once, and changes nothing, instead of hanging with it.
    static func applyStillRunning(_ clock: ApplyClock) async -> ControlReply? {
        let deadline = ContinuousClock.now + applyPatience
        while let running = clock.running {
            guard ContinuousClock.now < deadline else {
                return .failure(ControlError(.unavailable, "the dataplane has been applying a change for "
                    + "\(running.wholeMilliseconds) ms (is the WireGuard device answering? see wgmesh status and "
                    + "wgmeshd's log): no key was changed; try again when it is done"))
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// How long a rotation request waits for a running apply before it is refused.
    static let applyPatience: Duration = .milliseconds(500)

    /// The reply of `rotate-key`: the keys and timings, or why not.
    static func rotateKeyCommand(_ rotator: KeyRotator) async -> ControlReply {
        do {
            return .result(try await rotator.rotate(reason: "requested over the control socket").json)
        } catch {
            return .failure(ControlError(.failed, error.reason))
        }
    }
}

extension RotationReport {
    /// The control reply: `oldKey`, `newKey`, `publishMilliseconds`,
    /// `switchMilliseconds`, `totalMilliseconds`, and
    /// `warning` when the key file could not be replaced.
    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("oldKey", .string(oldKey.base64)), ("newKey", .string(newKey.base64)),
            ("publishMilliseconds", .integer(keySwitch.publish.wholeMilliseconds)),
            ("switchMilliseconds", .integer(keySwitch.deviceSwitch.wholeMilliseconds)),
            ("totalMilliseconds", .integer(total.wholeMilliseconds)),
        ]
        if let warning { pairs.append(("warning", .string(warning))) }
        return .object(DocumentObject(pairs))
    }
}
