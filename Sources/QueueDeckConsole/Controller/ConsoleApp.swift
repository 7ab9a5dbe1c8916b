import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// The console on a terminal: the shared screen loop, plus the hand-off of the terminal to the
/// agent's editor for replies and notes.
public final class ConsoleApp {
    public let controller: ConsoleController
    let terminal: Terminal
    let follower: any JournalFollower
    /// Ring the terminal bell for new work (`QDECK_BELL=off` silences it).
    let bellOn: Bool
    /// The process environment, as the executable read it: which editor, and TMPDIR for its file.
    let environment: [String: String]
    /// Attachments opened this session, removed when the console quits.
    var opened: [PrivateTempFile] = []

    public init(desk: ConsoleDesk, keyMap: KeyMap<ConsoleAction> = .agent, noColor: Bool, bell: Bool = true,
                environment: [String: String]) throws {
        terminal = try Terminal(noColor: noColor)
        controller = ConsoleController(desk: desk, keyMap: keyMap)
        follower = desk.journal.follower()
        bellOn = bell
        self.environment = environment
    }

    /// Runs until the agent quits or a signal asks us to stop; the terminal is restored either way.
    public func run() {
        var warmed = false
        ScreenLoop(terminal: terminal, follower: follower).run(
            idleMillis: 250,
            handle: { key in
                switch controller.handle(key) {
                case .none: return .none
                case .quit: return .quit
                case .redraw: return .redraw
                case .edit(let request): edit(request); return .redraw
                case .open(let request): open(request); return .redraw
                }
            },
            update: {
                controller.absorb()
                controller.tick(controller.desk.clock())
            },
            render: { rows, cols in ConsoleView.render(controller, rows: rows, cols: cols) },
            idle: {
                // Warm the caches a slice at a time while idle, then sleep until something happens.
                guard !warmed else { return false }
                warmed = controller.warmUp()
                return !warmed
            },
            bell: {
                defer { controller.bellPending = false }
                return bellOn && controller.bellPending
            },
            interrupt: { controller.interrupt() },
            finish: {
                controller.persistUnread(force: true)
                for f in opened { f.remove() }
            })
    }

    /// `$QDECK_OPEN`, else `xdg-open`, split by the shell like the editor; the file is "$1".
    static func openerCommand(_ env: [String: String], file: String) -> (name: String, argv: [String]) {
        let opener = env["QDECK_OPEN"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? "xdg-open"
        return (opener, ["/bin/sh", "-c", opener + " \"$1\"", "qdeck-open", file])
    }

    /// Writes the attachment to a private folder (0700, the file 0600) and hands the terminal to
    /// the viewer. The copy stays until the console quits: a graphical viewer reads it after
    /// xdg-open has returned.
    func open(_ r: OpenRequest) {
        let file: PrivateTempFile
        do {
            file = try PrivateTempFile(name: r.file.fileName, bytes: try controller.bytes(of: r.file), tmpdir: environment["TMPDIR"])
        } catch {
            controller.say("cannot open \(r.file.fileName): \(error)", error: true)
            return
        }
        opened.append(file)
        let (name, argv) = ConsoleApp.openerCommand(environment, file: file.path)
        switch terminal.runInForeground(argv) {
        case .failure(let e): controller.say("\(name) could not start: \(e)", error: true)
        case .success(127): controller.say("\(name) was not found (exit 127): set $QDECK_OPEN to a viewer (e.g. less), or :save \(r.number) PATH", error: true)
        case .success(0): controller.say("opened \(r.file.fileName) with \(name)")
        case .success(let status): controller.say("\(name) exited with status \(status) for \(r.file.fileName); :save \(r.number) PATH keeps a copy", error: true)
        }
    }

    /// The editor command: `$QDECK_EDITOR`, `$VISUAL`, `$EDITOR`, then `vi`; it may carry arguments
    /// (`code --wait`, `emacsclient -t`), so the shell splits it; the file is passed as "$1".
    static func editorCommand(_ env: [String: String], file: String) -> (name: String, argv: [String]) {
        let editor = ["QDECK_EDITOR", "VISUAL", "EDITOR"].compactMap { env[$0] }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        return (editor, ["/bin/sh", "-c", editor + " \"$1\"", "qdeck-editor", file])
    }

    /// Writes the request's file in a private folder (mkdtemp, 0700; the file 0600), hands the
    /// terminal to the editor in the foreground, and gives the controller what it left.
    func edit(_ r: EditRequest) {
        let file: PrivateTempFile
        do { file = try PrivateTempFile(name: "\(r.kind.rawValue)-\(r.ticket.raw).txt", contents: r.file, tmpdir: environment["TMPDIR"]) } catch {
            controller.finishEdit(r, edited: nil, status: -1, problem: "\(error)")
            return
        }
        defer { file.remove() }
        let (name, argv) = ConsoleApp.editorCommand(environment, file: file.path)
        let before = file.modified()
        switch terminal.runInForeground(argv) {
        case .failure(let e):
            controller.finishEdit(r, edited: nil, status: -1, problem: "the editor (\(name)) could not start: \(e)")
        case .success(let status):
            // Saved or not is what the agent said: `:wq` on an untouched draft sends it, `:q` does not.
            let saved = file.modified() != before
            if status == 127 {
                controller.finishEdit(r, edited: file.read(), status: status, saved: saved,
                                      problem: "the editor (\(name)) was not found (exit 127); set $VISUAL or $EDITOR")
            } else {
                controller.finishEdit(r, edited: file.read(), status: status, saved: saved)
            }
        }
    }
}

/// A file in a new private folder under $TMPDIR (mkdtemp: 0700, unpredictable name), removed with
/// its folder.
struct PrivateTempFile {
    let folder: String
    let path: String

    init(name: String, contents: String, tmpdir: String?) throws {
        try self.init(name: name, bytes: Array(contents.utf8), tmpdir: tmpdir)
    }

    init(name: String, bytes: [UInt8], tmpdir: String?) throws {
        let base = tmpdir.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/qdeck-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw DraftError(description: "\(base): cannot make a private folder for the editor: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DraftError(description: "\(path): cannot create: \(String(cString: strerror(errno)))") }
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, bytes.count) }
        close(fd)
        guard n == bytes.count else { throw DraftError(description: "\(path): cannot write the reply template") }
    }

    /// When the file was last written (nanoseconds), or nil when it is gone.
    func modified() -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec
    }

    /// What the editor left (editors may replace the file: read by path, never following a link).
    func read() -> String? { GuardedFile.read(path) }

    /// Removes the file and anything the editor left beside it (swap, backup files), then the folder.
    func remove() {
        for f in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] { unlink(folder + "/" + f) }
        rmdir(folder)
    }
}
