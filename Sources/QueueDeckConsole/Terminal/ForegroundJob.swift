import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child program that owns the terminal while it runs, the way a job-control shell (or mutt, or
/// git) runs an editor: its own process group, made the terminal's foreground group, so that it
/// can read the keyboard and receives the terminal's Ctrl-C and Ctrl-Z; the previous foreground
/// group (ours) takes the terminal back after it exits. See docs/CONSOLE.md, "The editor".
enum ForegroundJob {
    /// Spawns `argv` (argv[0] looked up on PATH) and waits for it. `terminal` is the descriptor of
    /// the controlling terminal.
    static func run(_ argv: [String], terminal tty: Int32) -> Result<Int32, TerminalError> {
        guard !argv.isEmpty else { return .failure(TerminalError(description: "no program to run")) }
        let ourGroup = tcgetpgrp(tty)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Its own group (pgid = its pid); default signal handling and an empty mask, whatever ours are.
        posix_spawnattr_setpgroup(&attr, 0)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], nil, &attr, &cargs, environ)
        guard rc == 0 else {
            return .failure(TerminalError(description: "cannot start \(argv[0]): \(String(cString: strerror(rc)))"))
        }
        _ = setpgid(pid, pid)  // already done in the child; harmless if it raced ahead
        // Taking and giving the terminal from a background group raises SIGTTOU: ignore it meanwhile.
        let oldTTOU = signal(SIGTTOU, SIG_IGN)
        defer { signal(SIGTTOU, oldTTOU) }
        if ourGroup > 0 { _ = tcsetpgrp(tty, pid) }
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WUNTRACED)
            if r < 0 {
                if errno == EINTR { continue }
                break
            }
            if isStopped(status) {
                // It read the terminal before it was given it (SIGTTIN), or it stopped itself
                // (Ctrl-Z in the editor): give it the terminal and let it go on.
                if ourGroup > 0 { _ = tcsetpgrp(tty, pid) }
                kill(-pid, SIGCONT)
                continue
            }
            break
        }
        if ourGroup > 0 { _ = tcsetpgrp(tty, ourGroup) }
        if hasExited(status) { return .success(exitCode(status)) }
        return .success(128 + signalNumber(status))
    }

    // The wait-status macros, which Swift cannot import.
    static func isStopped(_ s: Int32) -> Bool { (s & 0xff) == 0x7f }
    static func hasExited(_ s: Int32) -> Bool { (s & 0x7f) == 0 }
    static func exitCode(_ s: Int32) -> Int32 { (s >> 8) & 0xff }
    static func signalNumber(_ s: Int32) -> Int32 { s & 0x7f }
}
