import Foundation

/// The result a task leaves for the thread that waits for it.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Where the PostgreSQL client's tasks run: threads of their own, never Swift's cooperative pool,
/// whose few threads (one per core) may be the very ones blocked waiting for them (a test runs on
/// them; two waiting tests on two cores once hung every query).
final class ClientExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = ClientExecutor()
    private let queue = DispatchQueue(label: "qdeck.postgres", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Runs async PostgreSQL work from qdeck's synchronous commands and loops: the calling thread
/// waits on a semaphore while the task runs on the client's executor.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: ClientExecutor.shared) {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}
