#if canImport(Glibc)
import Glibc
#endif
import QueueDeckDomain
import QueueDeckMail

/// Hands a message to the local mail system's sendmail interface: the command gets the message on
/// standard input; exit 0 means the mail system took responsibility for it.
public struct Sendmail: Sendable {
    public var command: [String]
    public var timeoutSeconds: Int = 120

    /// The recipient is an argument (after `--`), never read from the message's headers (`-t`).
    public static let defaultCommand = "/usr/sbin/sendmail -oi"

    /// `$QDECK_SENDMAIL`, split at spaces, else `/usr/sbin/sendmail -oi -t`; `$QDECK_SENDMAIL_TIMEOUT`
    /// seconds for the whole hand-over (1 to 3600; anything else keeps the default).
    public init(environment: [String: String]) {
        let text = environment["QDECK_SENDMAIL"].flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } ?? Self.defaultCommand
        command = text.split(separator: " ").map(String.init)
        if let t = environment["QDECK_SENDMAIL_TIMEOUT"].flatMap({ Int($0) }), (1...3600).contains(t) { timeoutSeconds = t }
    }

    /// Bounces must come back to the desk, not to whoever ran qdeck: `-f` with the desk's address
    /// unless the command already sets a sender.
    public func withEnvelopeSender(_ address: String) -> Sendmail {
        guard !command.contains(where: { $0.hasPrefix("-f") || $0.hasPrefix("-r") }) else { return self }
        let addr = address.lastIndex(of: "<").map { String(address[address.index(after: $0)...].prefix { $0 != ">" }) } ?? address
        guard AddrSpec.isValid(addr) else { return self }
        var copy = self
        copy.command += ["-f", addr]
        return copy
    }

    /// The recipients (To, then Cc) as arguments after `--` (so none is read as an option), unless
    /// the command reads recipients from the headers itself (`-t`): then the To and Cc headers, built
    /// from the same checked addresses, are all there is.
    public func addressed(to recipients: [String]) -> Sendmail {
        guard !command.dropFirst().contains("-t") else { return self }
        var copy = self
        copy.command += ["--"] + recipients
        return copy
    }

    /// What became of a hand-over. `unknown`: sendmail read the whole message and was stopped before
    /// saying whether it took it (it may have queued it: never sent again by itself).
    public enum HandOver: Sendable, Equatable {
        case taken
        case refused(String)
        case unknown(String)
    }

    /// `sharing`: an open file whose lock sendmail holds too, for as long as it runs (the outbox lock:
    /// a hand-over whose qdeck was killed still shows "in progress" while its sendmail lives, and is
    /// not sent twice).
    public func send(_ message: [UInt8], sharing lock: Int32? = nil) -> HandOver {
        guard let program = command.first else { return .refused("no sendmail command") }
        var inPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&errPipe) == 0 else { return .refused("cannot make a pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 1)
        for fd in [inPipe[0], inPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        // Its own process group: a timeout kills sendmail and whatever it started, not the script alone.
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = command.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        // A duplicate without close-on-exec is what the child inherits; closed here right after.
        let inherited = lock.map { dup($0) } ?? -1
        let rc = posix_spawnp(&pid, program, &actions, &attr, argv, environ)
        if inherited >= 0 { close(inherited) }
        close(inPipe[0]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(errPipe[0])
            return .refused("cannot run \(program): \(String(cString: strerror(rc)))")
        }
        // Write the message and read what sendmail says in one loop under one deadline: a sendmail
        // that never reads its input must not hang the hand-over once the pipe is full (it did), and
        // one that exits early closes the pipe (EPIPE, not a signal).
        let oldPipe = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, oldPipe) }
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        var written = 0
        var inputOpen = true
        var errorOpen = true
        var errText: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        let deadline = monotonicSeconds() + Double(timeoutSeconds)
        var status: Int32 = 0
        func closeInput() { if inputOpen { close(inPipe[1]); inputOpen = false } }
        if message.isEmpty { closeInput() }
        while true {
            var fds = [pollfd(fd: inputOpen ? inPipe[1] : -1, events: Int16(POLLOUT), revents: 0),
                       pollfd(fd: errorOpen ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, 100)
            if inputOpen && fds[0].revents != 0 {
                let n = message.withUnsafeBytes { write(inPipe[1], $0.baseAddress! + written, $0.count - written) }
                if n > 0 { written += n; if written == message.count { closeInput() } }
                else if n < 0 && errno != EAGAIN && errno != EINTR { closeInput() }  // EPIPE: it stopped reading
            }
            if errorOpen && fds[1].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(errPipe[0], $0.baseAddress, $0.count) }
                if n > 0 { if errText.count < 8192 { errText += buf[0..<n] } } else if n == 0 || errno != EINTR { errorOpen = false }
            }
            if waitpid(pid, &status, WNOHANG) == pid { closeInput(); break }
            if monotonicSeconds() > deadline {
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                closeInput()
                close(errPipe[0])
                // Once it read the whole message it may have queued it: not a failure to retry, an
                // outcome nobody knows (retried only when asked, never sent twice by itself).
                if written == message.count {
                    return .unknown("outcome unknown: \(program) read the whole message but did not finish within \(timeoutSeconds) s; killed")
                }
                return .refused("\(program) did not finish within \(timeoutSeconds) s (it read \(written) of \(message.count) bytes); killed")
            }
        }
        close(errPipe[0])
        let said = String(decoding: errText, as: UTF8.self).split(whereSeparator: { $0 == "\n" }).joined(separator: " ").trimmingWhitespace()
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        if exited && code == 0 {
            return written == message.count ? .taken : .refused("\(program) exited before reading the whole message")
        }
        let how = exited ? "exited with status \(code)" : "was killed by signal \(status & 0x7F)"
        return .refused("\(program) \(how)" + (said.isEmpty ? "" : ": " + String(said.prefix(300))))
    }
}

/// Seconds on a clock that never jumps (the wall clock may be set back during a hand-over).
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
