import CNCursesW
import CQueueDeckSignals
import Foundation

public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
}

/// The only type that calls curses. It sets up the terminal, paints a Grid (only rows that
/// changed), decodes keys, hands the terminal to an editor and back, and restores the terminal on
/// every way out.
public final class Terminal {
    private var last: Grid?
    private var ended = false
    private var screen: OpaquePointer?
    public let colors: Bool

    /// Fails with a clear message when stdin or stdout is not a terminal or no UTF-8 locale exists.
    public init(noColor: Bool) throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError(description: "the console needs a terminal on standard input and output; in scripts use `qdeck list` or `qdeck show`")
        }
        setlocale(LC_ALL, "")
        if !Terminal.utf8 {
            // Minimal systems often lack the user's locale; C.UTF-8 is always there on Debian.
            setlocale(LC_ALL, "C.UTF-8")
            guard Terminal.utf8 else {
                throw TerminalError(description: "no UTF-8 locale (LANG=\(ProcessInfo.processInfo.environment["LANG"] ?? "")); set LANG=C.UTF-8")
            }
        }
        guard let s = newterm(nil, fdopen(1, "w"), fdopen(0, "r")) else {
            throw TerminalError(description: "cannot start the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))")
        }
        screen = s
        set_term(s)
        cbreak()
        noecho()
        nonl()
        keypad(qd_stdscr(), true)
        curs_set(0)
        _ = qd_set_escdelay(25)
        var useColor = !noColor && has_colors()
        if useColor {
            start_color()
            use_default_colors()
            let fg: [Int16] = [-1, Int16(COLOR_RED), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_BLUE), Int16(COLOR_MAGENTA), Int16(COLOR_CYAN)]
            for (i, c) in fg.enumerated() where i > 0 { init_pair(Int16(i), c, -1) }
            if qd_colors() < 8 { useColor = false }
        }
        colors = useColor
        // Bracketed paste: a paste arrives between these two sequences, so it is read as text.
        _ = define_key(Terminal.pasteStart, Terminal.pasteStartCode)
        _ = define_key(Terminal.pasteEnd, Terminal.pasteEndCode)
        Terminal.installSignalHandlers()
        setBracketedPaste(true)
    }

    static let pasteStart = "\u{1B}[200~", pasteEnd = "\u{1B}[201~"
    static let pasteStartCode: Int32 = 0x3F0, pasteEndCode: Int32 = 0x3F1

    /// Written straight to the terminal after curses has flushed (the sequence is not a screen cell).
    private func setBracketedPaste(_ on: Bool) {
        let seq = on ? "\u{1B}[?2004h" : "\u{1B}[?2004l"
        _ = seq.withCString { write(1, $0, strlen($0)) }
    }

    /// The terminal bell.
    public func bell() { _ = beep() }

    deinit { end() }

    static var utf8: Bool { String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" }

    public var size: (rows: Int, cols: Int) { (Int(qd_lines()), Int(qd_cols())) }

    /// Paints the grid; rows equal to the last painted ones are skipped.
    public func paint(_ grid: Grid, force: Bool = false) {
        let full = force || last == nil || last!.rows != grid.rows || last!.cols != grid.cols
        if full {
            // After a resize or an editor the terminal's contents are unknown: clear and redraw all.
            erase()
            clearok(qd_stdscr(), true)
        }
        var buf: [wchar_t] = []
        buf.reserveCapacity(grid.cols * 2)
        for r in 0..<grid.rows {
            if !full, let l = last, (0..<grid.cols).allSatisfy({ l[r, $0] == grid[r, $0] }) { continue }
            var c = 0
            while c < grid.cols {
                let style = grid[r, c].style
                let start = c
                buf.removeAll(keepingCapacity: true)
                while c < grid.cols && grid[r, c].style == style {
                    for s in grid[r, c].text.unicodeScalars { buf.append(wchar_t(truncatingIfNeeded: s.value)) }
                    c += 1
                }
                if buf.isEmpty { continue }
                _ = qd_draw(Int32(r), Int32(start), buf, Int32(buf.count), attributes(style), colors ? Int16(style.color.rawValue) : 0)
            }
        }
        refresh()
        last = grid
    }

    private func attributes(_ s: Style) -> attr_t {
        var a: attr_t = 0
        if s.bold { a |= qd_attr_bold() }
        if s.reverse { a |= qd_attr_reverse() }
        if s.underline { a |= qd_attr_underline() }
        if s.dim { a |= qd_attr_dim() }
        return a
    }

    /// The next key within `timeoutMillis` (0: only if one is waiting), or nil.
    public func readKey(timeoutMillis: Int32) -> Key? {
        wtimeout(qd_stdscr(), timeoutMillis)
        var ch: wint_t = 0
        let r = wget_wch(qd_stdscr(), &ch)
        if r == ERR { return nil }
        if r == qd_key_code_yes() {
            if Int32(ch) == Terminal.pasteStartCode { return .paste(readPaste()) }
            if Int32(ch) == Terminal.pasteEndCode { return nil }
            return special(Int32(ch))
        }
        switch ch {
        case 10, 13: return .enter
        case 9: return .tab
        case 127, 8: return .backspace
        case 27:
            // Alt-x arrives as ESC then x; a lone ESC is Escape (ESCDELAY is short).
            wtimeout(qd_stdscr(), 0)
            var next: wint_t = 0
            let n = wget_wch(qd_stdscr(), &next)
            if n == OK, next == 10 || next == 13 { return .altEnter }
            if n == OK, let s = Unicode.Scalar(UInt32(next)) { return .alt(Character(s)) }
            return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(ch) + 96)))
        default:
            guard let s = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .char(Character(s))
        }
    }

    /// The text of a bracketed paste, up to its end sequence (or a pause of a second: a cut-off paste
    /// must not swallow the keys after it). Line breaks become `\n`.
    private func readPaste() -> String {
        var text = String.UnicodeScalarView()
        var lastCR = false
        wtimeout(qd_stdscr(), 1000)
        while true {
            var ch: wint_t = 0
            let r = wget_wch(qd_stdscr(), &ch)
            if r == ERR { break }
            if r == qd_key_code_yes() {
                if Int32(ch) == Terminal.pasteEndCode { break }
                continue
            }
            if ch == 13 { text.append("\n"); lastCR = true; continue }
            if ch == 10 { if !lastCR { text.append("\n") }; lastCR = false; continue }
            lastCR = false
            if let s = Unicode.Scalar(UInt32(ch)) { text.append(s) }
        }
        return String(text)
    }

    private func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_RESIZE: .resize
        case KEY_F0 + 1...KEY_F0 + 12: .function(Int(code - KEY_F0))
        default: nil
        }
    }

    /// Gives the terminal to another program (the editor) and takes it back.
    public func suspended<T>(_ body: () throws -> T) rethrows -> T {
        setBracketedPaste(false)
        def_prog_mode()
        endwin()
        defer {
            reset_prog_mode()
            last = nil
            clearok(qd_stdscr(), true)
            refresh()
            setBracketedPaste(true)
        }
        return try body()
    }

    /// Runs a program in the foreground of this terminal, as a shell runs a job: curses suspended,
    /// the program in its own process group made the terminal's foreground group (so it reads the
    /// keyboard and gets Ctrl-C, not us), and the terminal taken back when it exits. Returns its exit
    /// status, or nil when it could not be started (the error says why).
    public func runInForeground(_ argv: [String]) -> Result<Int32, TerminalError> {
        suspended { ForegroundJob.run(argv, terminal: 0) }
    }

    /// Restores the terminal. Safe to call more than once.
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        setBracketedPaste(false)
        if let screen { delscreen(screen) }
        screen = nil
    }

    // MARK: Signals

    /// The signal that asked us to stop (SIGINT, SIGTERM, SIGHUP), or 0.
    public static var pendingSignal: Int32 { qdeck_pending_signal() }

    /// Forgets a signal that was handled as a key (Ctrl-C cancelling a text input).
    public static func clearSignal() { qdeck_set_pending_signal(0) }

    /// The terminal went away (hung up, closed) without a SIGHUP reaching us — as when it closed
    /// while the editor had the foreground: stop as if it had.
    static func hungUp() { qdeck_set_pending_signal(SIGHUP) }

    private static func installSignalHandlers() {
        let stops = [SIGINT, SIGTERM, SIGHUP]
        qdeck_catch_signals(stops, Int32(stops.count))
        // Without these unblocked, resizes and Ctrl-Z would never reach us either.
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGWINCH, SIGTSTP, SIGCONT] { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
