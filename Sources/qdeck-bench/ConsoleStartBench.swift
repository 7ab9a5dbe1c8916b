import Foundation

/// The console's first frame: from launching `qdeck console` on a new pseudo-terminal (160×45,
/// xterm-256color) to its header line arriving on the terminal, i.e. desk loaded, queue sorted,
/// frame drawn by curses. Then `q` and the process's end.
enum ConsoleStartBench {
    /// Seconds to the first frame, or nil if none came within 30 s.
    static func firstFrame(qdeck: String, journal: String, extra: [String] = []) -> Double? {
        // glibc's posix_openpt/ptsname are not visible to Swift; the ioctls behind them are.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { return nil }
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        let lockPTY: UInt = 0x4004_5431  // TIOCSPTLCK, _IOW('T', 0x31, int): what unlockpt does
        let ptyNumber: UInt = 0x8004_5430  // TIOCGPTN, _IOR('T', 0x30, unsigned): what ptsname reads
        guard ioctl(master, lockPTY, &unlock) == 0, ioctl(master, ptyNumber, &number) == 0 else { return nil }
        var size = winsize(ws_row: 45, ws_col: 160, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let slave = "/dev/pts/\(number)"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // A session of its own (the terminal becomes its controlling one), default signals.
        posix_spawnattr_setflags(&attr, Int16(0x80 /* POSIX_SPAWN_SETSID */ | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)

        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["QDECK_AGENT"] = env["QDECK_AGENT"] ?? "anna"
        env["QDECK_SENDMAIL"] = "/bin/true"
        env.removeValue(forKey: "NO_COLOR")
        let args = [qdeck, "--journal", journal] + extra
        let argv = args.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let t0 = nanos()
        guard posix_spawn(&pid, qdeck, &actions, &attr, argv, envp) == 0 else { return nil }

        var seen = Data()
        var frame: Double?
        let marker = Data("sort: ".utf8)
        var buf = [UInt8](repeating: 0, count: 65536)
        let deadline = t0 + 30_000_000_000
        while frame == nil && nanos() < deadline {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) > 0 else { continue }
            let n = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            seen.append(contentsOf: buf[0..<n])
            if seen.range(of: marker) != nil { frame = Double(nanos() - t0) / 1e9 }
        }
        // Quit, draining the terminal so the console is never blocked writing to it.
        _ = "q".withCString { write(master, $0, 1) }
        var status: Int32 = 0
        let quitBy = nanos() + 20_000_000_000
        while waitpid(pid, &status, WNOHANG) == 0 {
            if nanos() > quitBy { kill(pid, SIGKILL) }
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 20) > 0 { _ = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) } }
        }
        return frame
    }
}
