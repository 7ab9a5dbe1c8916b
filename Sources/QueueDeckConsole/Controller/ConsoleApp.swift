import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// The console's main loop: waits on the keyboard and the journal at once (poll on stdin and the
/// follower's inotify descriptor), ticks the clock, paints only when the screen changed, and hands
/// the terminal to an editor for replies and notes.
public final class ConsoleApp {
    public let controller: ConsoleController
    let terminal: Terminal
    let follower: JournalFollower

    public init(desk: ConsoleDesk, keyMap: KeyMap = .agent, noColor: Bool) throws {
        terminal = try Terminal(noColor: noColor)
        controller = ConsoleController(desk: desk, keyMap: keyMap)
        follower = JournalFollower(path: desk.journalPath)
    }

    /// Runs until the agent quits or a signal asks us to stop; the terminal is restored either way.
    public func run() {
        defer { terminal.end() }
        var force = true
        var lastPaint: Grid?
        var warmed = false
        while Terminal.pendingSignal == 0 {
            var quit = false
            while let key = terminal.readKey(timeoutMillis: 0) {
                switch controller.handle(key) {
                case .none: break
                case .quit: quit = true
                case .redraw: force = true
                case .edit(let request): edit(request); force = true
                }
                if quit { break }
            }
            if quit { break }
            controller.absorb()
            controller.tick(controller.desk.clock())
            let (rows, cols) = terminal.size
            let grid = ConsoleView.render(controller, rows: rows, cols: cols)
            if force || grid != lastPaint {
                terminal.paint(grid, force: force)
                lastPaint = grid
                force = false
            }
            // Idle: warm the caches a slice at a time, then sleep until something happens.
            let warming = !warmed && !controller.warmUp()
            warmed = warmed || !warming
            wait(millis: warming ? 0 : 250)
        }
    }

    /// Sleeps until a key, a journal change, a signal (resize), or the timeout.
    func wait(millis: Int32) {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
        if follower.fileDescriptor >= 0 { fds.append(pollfd(fd: follower.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), millis)
        follower.drain()
    }

    /// $QDECK_EDITOR, $VISUAL, $EDITOR, then vi, on a private temporary file; empty cancels.
    func edit(_ r: EditRequest) {
        let env = ProcessInfo.processInfo.environment
        let editor = ["QDECK_EDITOR", "VISUAL", "EDITOR"].compactMap { env[$0] }.first { !$0.isEmpty } ?? "vi"
        let path = NSTemporaryDirectory() + "qdeck-\(r.kind == .reply ? "reply" : "note")-\(r.ticket.raw)-\(getpid()).txt"
        FileManager.default.createFile(atPath: path, contents: Data(r.initialText.utf8), attributes: [.posixPermissions: 0o600])
        let status: Int32 = terminal.suspended {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", editor + " \"$1\"", "qdeck-editor", path]
            do { try p.run() } catch { return -1 }
            p.waitUntilExit()
            return p.terminationStatus
        }
        guard status == 0 else {
            controller.say("the editor (\(editor)) exited with status \(status); nothing sent; your text is in \(path)", error: true)
            return
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        controller.finishEdit(r, text: text)
        if controller.flash?.error != true { try? FileManager.default.removeItem(atPath: path) }
    }
}
