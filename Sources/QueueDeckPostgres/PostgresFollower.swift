import Foundation
import PostgresNIO
import QueueDeckJournal

/// Wakes a reader when the PostgreSQL journal changes: LISTEN on a connection of its own (one per
/// process, as the notes advise), and a catch-up tick every second, since a notification sent
/// while the listener was away is lost. Both arrive as a byte on a pipe, so the console's and the
/// wall's poll() sets take it like the file's inotify descriptor. When the server goes away the
/// listener says so (a wake-up: the reader's next read fails and is told), then reconnects with
/// backoff and says so again.
public final class PostgresFollower: JournalFollower, @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var closed = false
    private var tasks: [Task<Void, Never>] = []
    /// The journal that made this follower: told of each wake-up, so its reads skip the server
    /// when nothing can be new.
    private let hints: ReadHints?

    /// How often a reader catches up without a notification (a lost one, or the server back).
    static let tickSeconds: Double = 1

    init(address: PostgresAddress, hints: ReadHints?) {
        self.hints = hints
        hints?.follow()
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } else {
            fds = [-1, -1]
        }
        readEnd = fds[0]
        writeEnd = fds[1]
        // The listener holds only a weak reference, so a follower dropped is freed and its tasks end.
        tasks.append(Task(executorPreference: ClientExecutor.shared) { [weak self] in
            await Self.listen(address) { [weak self] in self?.poke() }
        })
        tasks.append(Task(executorPreference: ClientExecutor.shared) { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(Self.tickSeconds * 1e9))
                guard let self else { return }
                self.poke()
            }
        })
    }

    deinit {
        hints?.unfollow()
        for t in tasks { t.cancel() }
        lock.lock()
        closed = true
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
        lock.unlock()
    }

    private func poke() {
        hints?.mark()
        lock.lock()
        defer { lock.unlock() }
        guard !closed, writeEnd >= 0 else { return }
        var b: UInt8 = 1
        _ = write(writeEnd, &b, 1)
    }

    /// LISTEN until cancelled, connecting again with backoff; `wake` once listening (what came
    /// before is read by the catch-up it causes), on each notification, and when the connection is lost.
    private static func listen(_ address: PostgresAddress, wake: @escaping @Sendable () -> Void) async {
        var backoff = 0.25
        var up = false
        while !Task.isCancelled {
            do {
                let c = try await PostgresLink.connect(address)
                defer { PostgresLink.drop(c) }
                try await c.listen(on: Schema.channel) { notifications in
                    // Listening from here: whatever was appended before is read by the catch-up this wakes.
                    up = true
                    backoff = 0.25
                    wake()
                    for try await _ in notifications {
                        if Task.isCancelled { return }
                        wake()
                    }
                }
            } catch {}
            if Task.isCancelled { return }
            if up {
                up = false
                wake()
            }
            try? await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
            backoff = min(backoff * 2, 2)
        }
    }

    public var fileDescriptor: Int32 { readEnd }

    @discardableResult
    public func wait(timeoutMillis: Int32?) -> Bool {
        guard readEnd >= 0 else {
            usleep(UInt32(timeoutMillis ?? 500) * 1000)
            return false
        }
        var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, timeoutMillis ?? Int32(Self.tickSeconds * 1000))
        drain()
        return r > 0
    }

    public func drain() {
        guard readEnd >= 0 else { return }
        var buf = [UInt8](repeating: 0, count: 512)
        while buf.withUnsafeMutableBytes({ read(readEnd, $0.baseAddress!, $0.count) }) > 0 {}
    }
}

/// Whether a read of the journal could find something new. A journal with a follower alive is told
/// of every wake-up (a notification, the 1 s tick, the listener lost or back) and of its own
/// appends, so the console's and the wall's loop, which read on every turn (each key, each quarter
/// second), reach the server only when something may have changed; without a follower (a command),
/// every read goes to the server.
final class ReadHints: @unchecked Sendable {
    private let lock = NSLock()
    private var followers = 0
    private var marked = true

    func follow() { lock.withLock { followers += 1 } }
    func unfollow() { lock.withLock { followers -= 1 } }
    func mark() { lock.withLock { marked = true } }

    /// Whether to go to the server now; a follower's next wake-up marks again.
    func take() -> Bool {
        lock.withLock {
            defer { marked = false }
            return followers == 0 || marked
        }
    }
}
