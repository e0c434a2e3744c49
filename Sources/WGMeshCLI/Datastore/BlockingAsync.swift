internal import Dispatch

/// Runs async datastore work from a synchronous command.
///
/// The root command stays a synchronous `ParsableCommand` so that the wg
/// fast path and `main.swift` keep their start-up cost, and ArgumentParser
/// refuses async subcommands under a synchronous root. The datastore
/// commands therefore wait here, on the main thread (never a cooperative
/// pool thread), for a task that does the async work.
enum BlockingAsync {
    /// The result of `body`, waited for on the calling thread.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                box.result = .success(try await body())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    /// Written by the task before it signals, read after the wait: the
    /// semaphore orders the two, which the compiler cannot see.
    private final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
