import Foundation

/// Hands the console's email replies to the mail system off the key loop: one worker at a time,
/// taking every reply queued meanwhile in one batch (a reply to twenty marked tickets opens the
/// desk once, not twenty times at once). Quitting waits, a while, for a hand-over under way.
final class ReplyCourier: @unchecked Sendable {
    private let lock = NSCondition()
    private var pending: Set<String> = []
    private var running = false
    private let deliver: @Sendable (Set<String>) -> Void

    init(deliver: @escaping @Sendable (Set<String>) -> Void) { self.deliver = deliver }

    func send(_ ids: Set<String>) {
        guard !ids.isEmpty else { return }
        lock.lock()
        pending.formUnion(ids)
        let start = !running
        running = true
        lock.unlock()
        if start { Thread.detachNewThread { self.drain() } }
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = pending
            pending = []
            if batch.isEmpty {
                running = false
                lock.broadcast()
                lock.unlock()
                return
            }
            lock.unlock()
            deliver(batch)
        }
    }

    /// Waits until nothing is being handed over, or the deadline (an unfinished hand-over shows in
    /// `qdeck outbox` and is retried there).
    func waitUntilIdle(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        lock.lock()
        while running && lock.wait(until: deadline) {}
        lock.unlock()
    }
}
