import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Hands the console's email replies to the mail system off the key loop: one worker at a time,
/// taking every reply queued meanwhile in one batch (a reply to twenty marked tickets opens the
/// desk once, not twenty times at once). Quitting waits, a while, for a hand-over under way.
final class ReplyCourier: @unchecked Sendable {
    private let lock = NSCondition()
    private var pending: Set<String> = []
    /// The console's desk as of the newest send, and where its journal was read to.
    private var latest: (state: DeskState, position: JournalPosition?)?
    private var running = false
    private let deliver: @Sendable (Set<String>, DeskState, JournalPosition?) -> Void

    init(deliver: @escaping @Sendable (Set<String>, DeskState, JournalPosition?) -> Void) { self.deliver = deliver }

    func send(_ ids: Set<String>, state: DeskState, position: JournalPosition?) {
        guard !ids.isEmpty else { return }
        lock.lock()
        pending.formUnion(ids)
        latest = (state, position)
        let start = !running
        running = true
        lock.unlock()
        if start { Thread.detachNewThread { self.drain() } }
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = pending
            let from = latest
            pending = []
            if batch.isEmpty {
                running = false
                lock.broadcast()
                lock.unlock()
                return
            }
            lock.unlock()
            if let from { deliver(batch, from.state, from.position) }
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
