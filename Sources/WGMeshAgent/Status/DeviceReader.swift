internal import Glibc
import Synchronization
import WGMeshCore
internal import WGMeshSystem

/// Reads the WireGuard device for status and metrics: one read at a time, shared by everyone who
/// asks meanwhile, and waited for only up to a deadline.
///
/// A stopped or hung wireguard-go does not answer its UAPI socket; a read then waits for the
/// socket's receive timeout (120 s). Without this, every `wgmesh status` and every scrape would
/// park another blocking-work thread behind it until the pool ran dry, and each caller would hang
/// with it. With it, at most one thread waits on the device, and callers get an answer that says
/// so once the read itself has run for ``deadline``. The deadline counts from when the read
/// starts on its thread, not from the request: a loaded process is slow to schedule, and that is
/// not the device's fault.
final class DeviceReader: Sendable {
    /// When a read began on its thread (CLOCK_MONOTONIC nanoseconds, 0 until then), and whether
    /// it has ended: a loaded process may deliver the result late, which is not the device's fault.
    private final class ReadClock: Sendable {
        let startedAt = Atomic<Int64>(0)
        let ended = Atomic<Bool>(false)
    }

    /// Set once a caller got its answer (the read's result or the deadline's), whichever came first.
    private final class Answered: Sendable {
        let flag = Atomic<Bool>(false)
    }

    /// One read of the device.
    private struct Read: Sendable {
        let clock: ReadClock
        let task: Task<WireGuardDevice, any Error>
    }

    private let dataplane: any Dataplane
    private let inFlight = Mutex<Read?>(nil)
    /// How long a read may run before callers are told the device is not answering.
    let deadline: Duration

    init(dataplane: any Dataplane, deadline: Duration = .milliseconds(800)) {
        self.dataplane = dataplane
        self.deadline = deadline
    }

    /// The device now; an ``AgentError`` saying it did not answer once the read has run for
    /// ``deadline`` (the read goes on, and the next caller shares it).
    func read() async throws -> WireGuardDevice {
        let read = startOrJoin()
        let settled = Answered()
        let outcome: Result<WireGuardDevice, any Error> = await withCheckedContinuation { done in
            let once = { @Sendable (result: Result<WireGuardDevice, any Error>) in
                if !settled.flag.exchange(true, ordering: .acquiringAndReleasing) { done.resume(returning: result) }
            }
            Task { once(await read.task.result) }
            Task { [deadline] in
                try? await Task.sleep(for: deadline)
                while !settled.flag.load(ordering: .acquiring) {
                    let started = read.clock.startedAt.load(ordering: .acquiring)
                    let running = started == 0 ? Duration.zero : .nanoseconds(Self.now() - started)
                    if running >= deadline, !read.clock.ended.load(ordering: .acquiring) {
                        once(.failure(AgentError(.dataplane, "the WireGuard device did not answer a read within "
                            + "\(deadline.wholeMilliseconds) ms (the read has waited \(running.wholeMilliseconds) ms): "
                            + "is its wireguard-go process stopped or hung? Check it (ps, wg show), then wgmeshd's log")))
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        return try outcome.get()
    }

    /// The read in flight, or a new one.
    private func startOrJoin() -> Read {
        let dataplane = dataplane
        let clock = ReadClock()
        let work: @Sendable () async throws -> WireGuardDevice = { [self] in
            defer { self.finished() }
            return try await BlockingWork.run {
                clock.startedAt.store(Self.now(), ordering: .releasing)
                defer { clock.ended.store(true, ordering: .releasing) }
                return try AgentError.naming("reading the WireGuard device") { try dataplane.readDevice() }
            }
        }
        return inFlight.withLock { current in
            if let current { return current }
            let read = Read(clock: clock, task: Task(operation: work))
            current = read
            return read
        }
    }

    private func finished() { inFlight.withLock { $0 = nil } }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
