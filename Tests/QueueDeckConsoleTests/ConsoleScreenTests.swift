import Foundation
import QueueDeckDomain
import QueueDeckText
import Testing
@testable import QueueDeckConsole

@Suite struct ConsoleScreenTests {
    func desk() -> (ConsoleFixture, [TicketID]) {
        let f = ConsoleFixture()
        let ids = [
            f.ticket(.email, subject: "Rēķins par novembri nav saņemts", customer: "Jānis Kalniņš", minutesAgo: 300),
            f.ticket(.call, subject: "Где моя поръчка", customer: "Иван Петров", minutesAgo: 200, priority: .high),
            f.ticket(.chat, subject: "Η εφαρμογή δεν ανοίγει", customer: "Γιώργος Παπαδόπουλος", minutesAgo: 100),
            f.ticket(.email, subject: "注文がまだ届きません", customer: "山田太郎", minutesAgo: 50),
        ]
        f.controller.absorb()
        return (f, ids)
    }

    @Test(arguments: [(24, 80), (45, 160), (14, 50)])
    func layoutAtSize(rows: Int, cols: Int) {
        let (f, ids) = desk()
        var g = f.screen(rows, cols)
        #expect(g.rows == rows && g.cols == cols)
        #expect(g.text(row: 0).hasPrefix(" 1 All 4 │ 2 Email 2 │ 3 Call 1 │ 4 Chat 1 "))
        #expect(g.text(row: 2).contains("ID"))
        for id in ids { #expect(g.find(id.description) != nil, "\(id) on screen at \(cols)×\(rows)") }
        #expect(g.text(row: rows - 1).contains("? help"))
        // Open the first ticket: side by side when wide, stacked when narrow.
        f.keys(.enter)
        g = f.screen(rows, cols)
        let sel = f.controller.selected!
        let header = g.find("\(sel)  ")!  // the detail pane's title line
        if cols >= ScreenLayout.sideBySideFrom {
            #expect(header.col > cols / 2)
            #expect(g.text(row: header.row).contains("│"))
        } else {
            #expect(header.col == 0)
            #expect(header.row > 3)
        }
        #expect(g.find("── conversation (") != nil || rows < 20)
    }

    @Test func tooSmallSaysSo() {
        let (f, _) = desk()
        let g = f.screen(10, 40)
        #expect(g.text.contains("Terminal too small: 40×10"))
        #expect(g.text.contains("44×12"))
    }

    @Test func wideCharactersAlignByColumns() {
        let (f, _) = desk()
        let g = f.screen(24, 160)
        // Every list row puts the WAIT column at the same screen column, whatever script the subject is in.
        let waitCol = g.find("WAIT")!.col
        var seen = 0
        for r in 3..<7 {
            let row = g.text(row: r)
            guard !row.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            var col = 0
            var found: Int? = nil
            var cells: [String] = []
            for c in 0..<g.cols { cells.append(g[r, c].text) }
            for (i, t) in cells.enumerated() where i >= waitCol - 1 {
                if t != " " && t != "" { found = i; break }
            }
            col = found ?? -1
            #expect(col == waitCol, "row \(r): \(row)")
            seen += 1
        }
        #expect(seen == 4)
        // CJK takes two cells: the continuation cell is empty.
        let cjk = g.find("注文")!
        #expect(g[cjk.row, cjk.col].text == "注")
        #expect(g[cjk.row, cjk.col + 1].text == "")
        #expect(g[cjk.row, cjk.col + 2].text == "文")
    }

    @Test func hostileSubjectsStayInert() {
        let f = ConsoleFixture()
        let big = String(repeating: "Ω\u{1B}[2J", count: 2500)
        f.ticket(subject: "Hi \u{1B}]0;PWNED\u{07} \u{9B}31m \u{202E}gpj.exe\r\u{8}\ttab")
        f.ticket(subject: big)
        f.controller.absorb()
        f.keys(.enter)
        let g = f.screen(45, 160)
        for cell in g.cells {
            #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) })
        }
        #expect(g.text.contains("␛]0;PWNED␇"))
        // The 10 kB subject is cut to its column.
        for r in 0..<g.rows { #expect(DisplayWidth.of(g.text(row: r)) == 160) }
    }

    @Test func slaReadsWithoutColour() {
        let f = ConsoleFixture()
        f.ticket(subject: "late one", minutesAgo: 300)    // 4 h target: breached
        f.ticket(subject: "at risk", minutesAgo: 200)     // 40 min left: at risk
        f.ticket(subject: "fresh", minutesAgo: 10)
        f.controller.absorb()
        let g = f.screen(24, 160)
        #expect(g.find("✖ LATE 1h00") != nil)
        #expect(g.find("▲ RISK 40m") != nil)
        #expect(g.find("● 3h50") != nil)
        let late = g.find("✖ LATE")!
        #expect(g[late.row, late.col].style.color == .red)
    }

    /// Every binding of every scope, at every size: the help scrolls to its last line.
    @Test(arguments: [(24, 80), (45, 160), (12, 44)])
    func helpIsGeneratedFromTheKeyMap(rows: Int, cols: Int) {
        let (f, _) = desk()
        f.keys(.char("?"))
        // The box's content lines (between its top and bottom borders, without the status line).
        func content(_ g: Grid) -> [String] {
            let rows = (0..<g.rows).map { g.text(row: $0) }
            guard let top = rows.firstIndex(where: { $0.contains("┌") }), let bottom = rows.firstIndex(where: { $0.contains("└") }) else { return [] }
            return rows[(top + 1)..<bottom].compactMap { t -> String? in
                guard let a = t.firstIndex(of: "│"), let b = t.lastIndex(of: "│"), a < b else { return nil }
                return String(t[t.index(after: a)..<b])
            }
        }
        // Line by line (j) to the end: every line of the help, in order.
        var seen: [String] = []
        var last: [String] = []
        for _ in 0..<400 {
            last = content(f.screen(rows, cols))
            seen.append(last.first ?? "")
            f.keys(.char("j"))
            if content(f.screen(rows, cols)) == last { break }
        }
        seen += last.dropFirst().dropLast()
        // Wrapped lines may break inside a word on a narrow screen: compare letters and digits only.
        let letters = { (s: String) in String(s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init)) }
        let folded = letters(seen.joined())
        for b in KeyMap.agent.bindings {
            #expect(folded.contains(letters(b.summary)), "help lists \(b.action) at \(cols)×\(rows)")
        }
        // PgDn moves by what shows: nothing is skipped.
        f.keys(.char("g"))
        let firstPage = content(f.screen(rows, cols)).dropLast()
        f.keys(.pageDown)
        let secondPage = content(f.screen(rows, cols))
        #expect(secondPage.contains(firstPage.last ?? ""), "PgDn skips no line")
        let text = seen.joined(separator: "\n")
        for k in ["Esc", "Ctrl-T", "Alt-Enter", "PgDn", "["] { #expect(text.contains(k), "help shows \(k)") }
        let g = f.screen(rows, cols)
        let ro = ConsoleFixture(keyMap: KeyMap.agent.readOnly)
        _ = ro.controller.handle(.char("?"))
        let g2 = ro.screen(45, 160)
        #expect(!g2.text.contains("resolve"))
        #expect(g2.text.contains("live filter"))
    }
}
