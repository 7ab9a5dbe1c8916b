import Foundation
import Testing

/// A console in its own tmux server (unique socket), driven with send-keys and read with
/// capture-pane, polling with a deadline.
final class Tmux {
    let socket = "qdeck-test-\(UUID().uuidString.prefix(8))"
    let target = "T"

    /// A sendmail that takes the whole message and drops it: replies from the console are handed
    /// over for real, to nowhere.
    static let sendmailSink: String = {
        let path = NSTemporaryDirectory() + "qdeck-test-sendmail-\(getpid()).sh"
        try? "#!/bin/sh\ncat >/dev/null\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }()

    init(_ command: String, cols: Int = 160, rows: Int = 45, env: [String: String] = [:]) throws {
        let defaults = ["QDECK_AGENT": "anna", "LANG": "C.UTF-8", "QDECK_SENDMAIL": Tmux.sendmailSink]
        let vars = (defaults.merging(env) { $1 }).map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let full = "env \(vars) \(command); echo EXITED rc=$?; sleep 600"
        // The server this starts would inherit a pipe and keep it open: no output captured here.
        try tmux(["new-session", "-d", "-s", target, "-x", String(cols), "-y", String(rows), full], capture: false)
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Runs tmux with posix_spawn: Foundation's Process watches a descriptor that the daemonised
    /// tmux server would inherit and keep open. The child gets no descriptor above 2; output goes
    /// through a temporary file.
    @discardableResult
    func tmux(_ args: [String], capture: Bool = true) throws -> String {
        let outPath = NSTemporaryDirectory() + "tmux-out-\(UUID().uuidString)"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        closeFrom3(&actions)
        let argv = ["tmux", "-L", socket] + args
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        // The test runner's threads block most signals; the mask would pass to tmux and the console.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, &attr, &cargs, environ)
        guard rc == 0 else { throw POSIXError(.init(rawValue: rc) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return capture ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
    }

    func keys(_ k: String...) throws { try tmux(["send-keys", "-t", target] + k) }
    func text(_ s: String) throws { try tmux(["send-keys", "-t", target, "-l", s]) }
    func screen() throws -> String { try tmux(["capture-pane", "-t", target, "-p"]) }
    /// In vim (`vim -u NONE -N`, started by the console for a reply): waits for the template, types
    /// `text` at the top and leaves with `save` (`:wq` sends; `:w|cq` saves and fails; `:q!` not).
    func typeInVim(_ text: String, save: String = ":wq") throws {
        try waitFor("# ------------------------ >8")
        try keys("i")
        try self.text(text)
        try keys("Escape")
        try self.text(save)
        try keys("Enter")
    }

    /// Pastes text as a terminal does with bracketed paste on (`paste-buffer -p`).
    func paste(_ text: String) throws {
        try tmux(["set-buffer", text])
        try tmux(["paste-buffer", "-p", "-t", target])
    }
    func display(_ format: String) throws -> String { try tmux(["display", "-p", "-t", target, format]).trimmingCharacters(in: .whitespacesAndNewlines) }
    func resize(cols: Int, rows: Int) throws { try tmux(["resize-window", "-t", target, "-x", String(cols), "-y", String(rows)]) }

    /// Waits until the screen contains `text`; records the screen when it never does.
    @discardableResult
    func waitFor(_ text: String, within seconds: Double = 5, _ comment: String = "") throws -> Bool {
        let ok = try Harness.eventually(within: seconds) { try screen().contains(text) }
        if !ok { Issue.record("'\(text)' never appeared \(comment)\n\(try screen())") }
        return ok
    }

    /// The backlog the wall shows in its "BACKLOG N" line, if on screen.
    func wallBacklog() throws -> Int? {
        let s = try screen()
        guard let r = s.range(of: "BACKLOG ") else { return nil }
        return Int(s[r.upperBound...].prefix { $0.isNumber })
    }

    func waitUntilGone(_ text: String, within seconds: Double = 5) throws -> Bool {
        try Harness.eventually(within: seconds) { try !screen().contains(text) }
    }
}

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc module does not export.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
private let addCloseFrom: AddCloseFrom? = {
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(sym, to: AddCloseFrom.self)
}()

private func closeFrom3(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>) {
    if let f = addCloseFrom {
        _ = f(actions, 3)
    } else {
        // Older glibc: close what is open now.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(actions, fd) }
        }
    }
}
