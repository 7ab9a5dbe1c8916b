import Foundation
import QueueDeckDomain
import QueueDeckJournal
import Testing
@testable import QueueDeckConsole

/// The wall drawn into a Grid at the sizes a wall display and a laptop have.
@Suite struct WallViewTests {
    /// A board on the fixture's desk: a few tickets per channel, one abandoned call.
    func board(mode: WallMode = .live, pending: [StoredEvent] = []) -> (ConsoleFixture, WallBoard) {
        let f = ConsoleFixture()
        for i in 0..<7 { f.ticket(.email, subject: "mail \(i)", minutesAgo: Int64(5 + i * 20)) }
        for i in 0..<12 { f.ticket(.call, subject: "call \(i)", minutesAgo: Int64(1 + i)) }
        let chat = f.ticket(.chat, subject: "chat", minutesAgo: 2)
        try! f.external(.abandon(chat, reason: "left"), at: f.now - .minutes(1))
        let j = try! FileJournal(path: f.path)
        var state = DeskState(autoCloseAfter: f.rules.autoCloseAfter)
        state.apply(try! j.readNew())
        return (f, WallBoard(rules: f.rules, scope: .all, state: state, now: f.now, mode: mode, pending: pending))
    }

    @Test(arguments: [(24, 80), (45, 160), (80, 300)])
    func bigBoardShowsEveryChannel(rows: Int, cols: Int) {
        let (_, b) = board()
        let g = WallView.render(b, rows: rows, cols: cols, glyphs: .unicode)
        for text in ["EMAIL waiting", "CALL waiting", "CHAT waiting", "SLA today", "abandoned", "AGENTS", "BACKLOG 20", "● LIVE"] {
            #expect(g.find(text) != nil, "\(text) at \(cols)x\(rows)\n\(g.text)")
        }
        #expect(g.text.contains("█"))
        // Twelve calls waiting (amber from 5, red from 15): amber with the word, not colour alone.
        #expect(g.text.contains("CALL waiting ▲ WARN"))
        let (r, c) = g.find("CALL waiting ▲ WARN")!
        #expect(g[r, c + 13].style.color == .yellow)
    }

    /// The backlog board carries the deflection ratio (README, Metrics): self-service against everyone
    /// who reached the desk today.
    @Test(arguments: [(24, 80), (60, 200)])
    func theBacklogBoardShowsDeflection(rows: Int, cols: Int) {
        let f = ConsoleFixture()
        for i in 0..<3 { f.ticket(.email, subject: "mail \(i)", minutesAgo: Int64(5 + i)) }
        var state = DeskState(autoCloseAfter: f.rules.autoCloseAfter)
        state.apply(try! FileJournal(path: f.path).readNew())
        for (n, who) in ["a@x.example", "b@x.example", "a@x.example", "v-1", "v-2", "v-3"].enumerated() {
            state.apply(StoredEvent(seq: 0, version: 0, event: Event(ticket: .desk, at: f.now - .minutes(3), actor: "system",
                                                                     kind: .selfService(SelfServiceRecord(key: "ss:\(n)", user: who, kind: .article, subject: "FAQ")))))
        }
        let b = WallBoard(rules: f.rules, scope: .all, state: state, now: f.now, mode: .live, pending: [])
        _ = b.handle(.char("l")); _ = b.handle(.char("l")); _ = b.handle(.char("l"))
        #expect(b.layout == .backlog)
        let g = WallView.render(b, rows: rows, cols: cols, glyphs: .unicode)
        // 6 interactions by 5 users; the fixture's tickets add their customers (one contact here).
        let d = b.metrics.deflection
        #expect(d.interactions == 6 && d.selfServiceUsers == 5)
        #expect(g.find("deflection " + String(format: "%.2f", d.ratio!)) != nil, "\(g.text)")
    }

    @Test func digitsGrowWithTheTerminal() {
        let small = BigDigits.scale("12", width: 24, height: 6)!
        let large = BigDigits.scale("12", width: 120, height: 40)!
        #expect(small.sy == 1 && large.sy > 3 && large.sx == 2 * large.sy)
        #expect(BigDigits.scale("12345", width: 10, height: 4) == nil)
        var g = Grid(rows: 5, cols: 3)
        BigDigits.draw("7", into: &g, row: 0, col: 0, sx: 1, sy: 1, block: "#", style: .plain)
        #expect(g.text == "###\n  #\n  #\n  #\n  #")
    }

    @Test func smallTerminalGetsOneLinePerFigure() {
        let (_, b) = board()
        let g = WallView.render(b, rows: 12, cols: 40, glyphs: .unicode)
        #expect(g.find("EMAIL 7") != nil && g.find("CALL 12") != nil && g.find("CHAT 1") != nil, "\(g.text)")
        #expect(!g.text.contains("█"))
        let tiny = WallView.render(b, rows: 3, cols: 15, glyphs: .unicode)
        #expect(tiny.text.contains("too small"))
    }

    @Test func asciiFallbackHasNoBlockOrBoxCharacters() {
        let (_, b) = board()
        let g = WallView.render(b, rows: 45, cols: 160, glyphs: .ascii)
        #expect(!g.text.contains("█") && !g.text.contains("✖") && !g.text.contains("▲") && !g.text.contains("→"))
        #expect(g.text.contains("#") && g.text.contains("CALL waiting ! WARN"))
    }

    @Test func onlyWallKeysDoAnything() {
        let (f, b) = board()
        let size = try! FileManager.default.attributesOfItem(atPath: f.path)[.size] as! Int
        for k: Key in [.char("r"), .char("x"), .char("c"), .char("N"), .char("a"), .enter, .char("/"), .char(":")] {
            #expect(b.handle(k) == .none)
        }
        #expect(!KeyMap.wall.bindings.contains { $0.mutating })
        #expect(Set(KeyMap.wall.bindings.map(\.action)) == Set(WallAction.allCases), "every wall action has a key")
        #expect(b.layout == .overview && !b.paused)
        _ = b.handle(.char("l"))
        #expect(b.layout == .channels)
        _ = b.handle(.tab)
        _ = b.handle(.tab)
        _ = b.handle(.tab)
        #expect(b.layout == .overview)
        _ = b.handle(.char(" "))
        #expect(b.paused)
        #expect(WallView.render(b, rows: 24, cols: 80, glyphs: .unicode).find("PAUSED") != nil)
        _ = b.handle(.char("?"))
        #expect(WallView.render(b, rows: 24, cols: 80, glyphs: .unicode).find("Wall keys") != nil)
        _ = b.handle(.char("z"))
        #expect(!b.showHelp)
        #expect(b.handle(.char("q")) == .quit)
        #expect(try! FileManager.default.attributesOfItem(atPath: f.path)[.size] as! Int == size)
    }

    @Test func replayPlaysEventsAsTimeGoesBy() throws {
        let (f, live) = board()
        let start = f.now
        let ids = ["A3A-33333-333", "A3A-33333-334", "A3A-33333-336"].map { TicketID($0)! }
        var later: [StoredEvent] = []
        for (i, id) in ids.enumerated() {
            let opening = TicketOpening(channel: .chat, customer: Customer(name: "v\(i)"), subject: "s")
            let at = start + .minutes(Int64(10 * (i + 1)))
            later.append(StoredEvent(seq: UInt64(100 + i), version: 1, event: Event(ticket: id, at: at, actor: "customer", kind: .created(opening))))
        }
        let b = WallBoard(rules: f.rules, scope: .all, state: live.state, now: start, mode: .replay(speed: 60), pending: later)
        #expect(b.metrics.backlog == 20)
        b.play(until: start + .minutes(15))
        b.refresh(at: start + .minutes(15))
        #expect(b.metrics.backlog == 21 && !b.replayFinished)
        b.play(until: start + .minutes(40))
        b.refresh(at: start + .minutes(40))
        #expect(b.metrics.backlog == 23 && b.replayFinished)
        #expect(WallView.render(b, rows: 24, cols: 80, glyphs: .unicode).text.contains("REPLAY ×60 (end)"))
    }

    @Test func thresholdsFromTheTeamFileColourTheBoard() {
        let (f, _) = board()
        var rules = f.rules
        rules.thresholds.limits[.waiting] = Threshold(amber: 50, red: 100)
        let j = try! FileJournal(path: f.path)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        state.apply(try! j.readNew())
        let b = WallBoard(rules: rules, scope: .all, state: state, now: f.now, mode: .live)
        let g = WallView.render(b, rows: 45, cols: 160, glyphs: .unicode)
        #expect(g.text.contains("CALL waiting ✓ OK"))
        let (r, c) = g.find("CALL waiting ✓ OK")!
        #expect(g[r, c + 13].style.color == .green)
    }
}
