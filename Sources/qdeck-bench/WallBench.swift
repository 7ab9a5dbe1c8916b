import Foundation
import QueueDeckConsole
import QueueDeckDomain
import QueueDeckJournal

/// What the wall spends on a desk of N open tickets: the figures it recomputes on each tick and
/// journal change, the once-a-minute backlog series, and drawing a 300×80 board.
enum WallBench {
    static func run(dir: String, tickets n: Int) {
        let path = dir + "/bench-wall-\(getpid()).journal"
        defer { unlink(path) }
        let now = Instant(ms: 1_795_600_000_000)
        let rules = BenchDesk.write(path: path, tickets: n, now: now)

        let t0 = nanos()
        let j = try! FileJournal(path: path)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        state.apply(try! j.readNew())
        let board = WallBoard(rules: rules, scope: .all, state: state, now: now, mode: .live)
        _ = WallView.render(board, rows: 80, cols: 300, glyphs: .unicode)
        let startup = Double(nanos() - t0) / 1e6
        precondition(board.metrics.backlog == n)

        func time(_ body: () -> Void) -> Double {
            let s = nanos()
            body()
            return Double(nanos() - s) / 1e6
        }
        func report(_ name: String, _ samples: [Double]) {
            let s = samples.sorted()
            print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) median \(String(format: "%6.1f", percentile(s, 0.5))) ms   p99 \(String(format: "%6.1f", percentile(s, 0.99))) ms   (\(s.count) samples)")
        }
        var clock = now
        var tick: [Double] = []
        for _ in 0..<30 {
            clock = clock + 2_000
            tick.append(time { board.refresh(at: clock) })
        }
        var series: [Double] = []
        for _ in 0..<8 {
            clock = clock + 61_000  // a minute of board time: the backlog series is redone too
            series.append(time { board.refresh(at: clock) })
        }
        var draw: [Double] = []
        for _ in 0..<30 { draw.append(time { _ = WallView.render(board, rows: 80, cols: 300, glyphs: .unicode) }) }

        // Another process appends one event; the wall reads it, refreshes and draws.
        let other = try! FileJournal(path: path)
        _ = try! other.readNew()
        var live: [Double] = []
        for i in 0..<30 {
            let id = StressWriter.ticketID(writer: 3, n: i * 97 % n)
            _ = try! other.append([Event(ticket: id, at: clock, actor: "bob", kind: .agentReply(body: "done"))], expecting: [:])
            live.append(time {
                board.absorb(try! j.readNew())
                board.refresh(at: clock)
                _ = WallView.render(board, rows: 80, cols: 300, glyphs: .unicode)
            })
            clock = clock + 1_000
        }
        print("wall on \(n) open tickets, release build")
        print("  start-up (replay + figures + 8 h / 7 d series + first 300×80 frame): \(Int(startup)) ms")
        report("tick: figures + trend arrows", tick)
        report("minute tick: + backlog series (76 points)", series)
        report("draw 300×80", draw)
        report("journal event → figures → 300×80 frame", live)
    }
}
