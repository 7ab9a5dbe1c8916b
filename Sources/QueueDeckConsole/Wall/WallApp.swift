import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// The wall's main loop: follows the journal (live), or plays a past stretch back (replay), or
/// holds one moment (time travel); recomputes the figures within a second of any change and every
/// few seconds so that ages and SLA clocks tick; paints only when the screen changed.
public final class WallApp {
    public let board: WallBoard
    let terminal: Terminal
    let journal: (any DeskJournal)?
    let follower: (any JournalFollower)?
    let clock: () -> Instant
    let glyphs: WallGlyphs

    /// How soon a journal change reaches the screen at most, and how often the board ticks on its own.
    static let changeDelay = 0.3
    static let tickInterval = 2.0

    /// `journal` is followed in live mode only.
    public init(board: WallBoard, journal: (any DeskJournal)?, clock: @escaping () -> Instant,
                noColor: Bool, ascii: Bool) throws {
        terminal = try Terminal(noColor: noColor)
        self.board = board
        self.journal = board.mode == .live ? journal : nil
        follower = board.mode == .live ? journal?.follower() : nil
        self.clock = clock
        glyphs = ascii ? .ascii : .unicode
    }

    public func run() {
        var lastRefresh = Date.distantPast
        var changed = false
        var replayClock = board.now
        var lastTick = Date()
        ScreenLoop(terminal: terminal, follower: follower).run(
            idleMillis: 200,
            handle: { key in
                switch board.handle(key) {
                case .quit: return .quit
                case .redraw: return .redraw
                case .none: return .none
                }
            },
            update: {
                let real = Date()
                defer { lastTick = real }
                guard !board.paused else { return }
                switch board.mode {
                case .live:
                    if let journal {
                        do {
                            let events = try journal.readNew()
                            if !events.isEmpty { board.absorb(events); changed = true }
                            board.journalHealth = .live
                        } catch {
                            board.journalHealth = JournalHealth(error)
                        }
                    }
                    let due = real.timeIntervalSince(lastRefresh)
                    if (changed && due >= Self.changeDelay) || due >= Self.tickInterval {
                        board.refresh(at: clock())
                        lastRefresh = real
                        changed = false
                    }
                case .replay(let speed):
                    // Replay time runs `speed` times faster than ours, and never past the present.
                    replayClock = min(clock(), replayClock + Millis(real.timeIntervalSince(lastTick) * 1000 * speed))
                    if real.timeIntervalSince(lastRefresh) >= Self.changeDelay {
                        board.play(until: replayClock)
                        board.refresh(at: replayClock)
                        lastRefresh = real
                    }
                case .at:
                    break
                }
            },
            render: { rows, cols in WallView.render(board, rows: rows, cols: cols, glyphs: glyphs) })
    }
}
