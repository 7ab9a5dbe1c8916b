import Foundation
import QueueDeckConsole
import QueueDeckDomain
import QueueDeckJournal

/// Key → frame and journal event → frame on a queue of N open tickets: the controller handles the
/// key (or absorbs the event) and the view renders the full 160×45 grid. Painting the grid through
/// curses is not included (it writes only changed rows); the tmux tests cover the real terminal.
enum ConsoleBench {
    static func run(dir: String, tickets n: Int) {
        let path = dir + "/bench-console-\(getpid()).journal"
        defer { unlink(path) }
        let now = Instant(ms: 1_795_600_000_000)
        let rules = BenchDesk.write(path: path, tickets: n, now: now)
        var rng = SeededGenerator(seed: 7)
        let t0 = nanos()
        let j = try! FileJournal(path: path)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        state.apply(try! j.readNew())
        var clock = now
        let desk = ConsoleDesk(journal: j, rules: rules, actor: rules.agents[0], state: state, clock: { clock })
        let c = ConsoleController(desk: desk)
        var grid = ConsoleView.render(c, rows: 45, cols: 160)
        let startup = Double(nanos() - t0) / 1e6
        precondition(c.rows.count == n)
        // What the console does in its first idle seconds (in slices between frames).
        let w0 = nanos()
        while !c.warmUp() {}
        let warm = Double(nanos() - w0) / 1e6

        func frame(_ body: () -> Void) -> Double {
            let s = nanos()
            body()
            grid = ConsoleView.render(c, rows: 45, cols: 160)
            return Double(nanos() - s) / 1e6
        }
        func report(_ name: String, _ samples: [Double]) {
            let s = samples.sorted()
            print("  \(name.padding(toLength: 36, withPad: " ", startingAt: 0)) median \(String(format: "%6.2f", percentile(s, 0.5))) ms   p99 \(String(format: "%6.2f", percentile(s, 0.99))) ms   (\(s.count) samples)")
        }

        var move: [Double] = []
        for i in 0..<400 { move.append(frame { _ = c.handle(i % 50 < 40 ? .char("j") : .char("k")) }) }

        // Full rescans: a filter that cannot narrow the current list (the first keystroke, a word
        // turning into a field term) scans every ticket. A journal event between samples makes
        // each one genuine (lists remembered per prefix are only reused while nothing changed).
        let poke = try! FileJournal(path: path)
        _ = try! poke.readNew()
        var rescans: [String] = []
        for q in ["r", "channel:chat", "priority:>=high", "sla:breached"] {
            var s: [Double] = []
            for k in 0..<5 {
                _ = c.handle(.escape)  // clears the filter
                precondition(c.filterText.isEmpty && c.rows.count >= n)
                _ = try! poke.append([Event(ticket: StressWriter.ticketID(writer: 3, n: k), at: clock, actor: "bob", kind: .note(body: "x"))], expecting: [:])
                c.absorb()
                s.append(frame { _ = c.run(.filter, argument: q) })
            }
            rescans.append("\(q) \(String(format: "%.1f", s.sorted()[2])) ms")
        }
        var periodic: [Double] = []
        for _ in 0..<5 {
            clock = clock + 31_000  // past the periodic rebuild interval (desks over 50,000 tickets)
            periodic.append(frame { c.tick(clock) })
        }
        rescans.append("periodic rebuild with waiting recount \(String(format: "%.1f", periodic.sorted()[2])) ms")
        _ = c.handle(.escape)
        var filter: [Double] = []
        for round in 0..<6 {
            _ = c.handle(.char("/"))
            let query = ["refund", "berzina", "channel:chat pass", "priority:>=high vat", "иван", "sla:breached login"][round]
            for ch in query { filter.append(frame { _ = c.handle(.char(ch)) }) }
            for _ in query { filter.append(frame { _ = c.handle(.backspace) }) }
            _ = c.handle(.escape)
        }

        var sort: [Double] = []
        for _ in 0..<24 { sort.append(frame { _ = c.handle(.char("s")) }) }

        // Another agent's appends, one event each, absorbed and repainted.
        let other = try! FileJournal(path: path)
        _ = try! other.readNew()
        var live: [Double] = []
        for i in 0..<200 {
            let id = StressWriter.ticketID(writer: 3, n: Int(rng.next() % UInt64(n)))
            let e = Event(ticket: id, at: clock, actor: "bob", kind: i % 2 == 0 ? .note(body: "checked") : .tagged(added: ["t\(i)"], removed: []))
            _ = try! other.append([e], expecting: [:])
            live.append(frame { c.absorb() })
            clock = clock + 1000
        }
        _ = grid
        print("console on \(n) open tickets, 160×45, release build")
        print("  start-up (replay + first sort + first frame): \(Int(startup)) ms; idle cache warm-up after it: \(Int(warm)) ms")
        report("key → frame: move (j/k)", move)
        report("key → frame: filter keystroke", filter)
        report("key → frame: sort change (s)", sort)
        print("  full rescans (median of 5): " + rescans.joined(separator: ", "))
        report("journal event → repainted screen", live)
    }
}
