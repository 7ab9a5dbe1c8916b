import Foundation
import QueueDeckJournal

/// The one main loop of the console and the wall: reads the keys waiting, lets the screen catch up
/// with the journal and the clock, paints only when the grid changed, and sleeps until a key, a
/// journal change (the follower's inotify descriptor), a signal (resize) or the timeout.
struct ScreenLoop {
    enum Step { case none, quit, redraw }

    let terminal: Terminal
    let follower: (any JournalFollower)?

    /// `handle` a key; `update` after the keys (follow the journal, move the clock); `render` the
    /// screen; `idle` does a slice of background work and says whether more is left (then the loop
    /// does not sleep); `bell` says whether to ring the bell now.
    /// `interrupt` is offered Ctrl-C (SIGINT) first: true when it took it as a key (cancelling an
    /// input), and the loop goes on. `finish` runs once before the terminal is restored.
    func run(idleMillis: Int32, handle: (Key) -> Step, update: () -> Void, render: (_ rows: Int, _ cols: Int) -> Grid,
             idle: () -> Bool = { false }, bell: () -> Bool = { false }, interrupt: () -> Bool = { false }, finish: () -> Void = {}) {
        defer {
            finish()
            terminal.end()
        }
        var force = true
        var lastPaint: Grid?
        while true {
            if Terminal.pendingSignal == SIGINT && interrupt() { Terminal.clearSignal() }
            if Terminal.pendingSignal != 0 { break }
            var quit = false
            while let key = terminal.readKey(timeoutMillis: 0) {
                switch handle(key) {
                case .none: break
                case .quit: quit = true
                case .redraw: force = true
                }
                if quit { break }
            }
            if quit { break }
            update()
            if bell() { terminal.bell() }
            let (rows, cols) = terminal.size
            let grid = render(rows, cols)
            if force || grid != lastPaint {
                terminal.paint(grid, force: force)
                lastPaint = grid
                force = false
            }
            wait(millis: idle() ? 0 : idleMillis)
        }
    }

    func wait(millis: Int32) {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
        if let f = follower, f.fileDescriptor >= 0 { fds.append(pollfd(fd: f.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), millis)
        // A closed terminal reads as hang-up or error for ever: never spin on it.
        if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { Terminal.hungUp() }
        follower?.drain()
    }
}
