import Foundation
import QueueDeckDomain
import QueueDeckText

/// Draws the console into a Grid. Pure: the controller's state in, cells out.
public enum ConsoleView {
    static let okStyle = Style(color: .green)
    static let riskStyle = Style(color: .yellow, bold: true)
    static let lateStyle = Style(color: .red, bold: true)
    static let dimStyle = Style(dim: true)
    static let noteStyle = Style(color: .magenta)
    static let headStyle = Style(bold: true)

    public static func render(_ c: ConsoleController, rows: Int, cols: Int) -> Grid {
        var g = Grid(rows: rows, cols: cols)
        var composerLines = 0
        if case .composer(let comp) = c.mode {
            composerLines = 1 + min(max(2, rows / 4), comp.field.layout(width: cols).lines.count)
        }
        let layout = ScreenLayout(rows: rows, cols: cols, detailOpen: c.detailTicket != nil, composerLines: composerLines)
        if layout.tooSmall {
            let msg = "Terminal too small: \(cols)×\(rows); QueueDeck needs at least \(ScreenLayout.minCols)×\(ScreenLayout.minRows)"
            for (i, line) in ScreenText.wrap(msg, width: max(1, cols)).enumerated() { g.put(line, row: rows / 2 - 1 + i, col: 0) }
            return g
        }
        c.setPageSize(layout.listHeight)
        header(&g, c)
        list(&g, c, layout)
        if let d = layout.detail, let t = c.detailTicket { detail(&g, c, t, d) }
        bottom(&g, c, layout, composerLines: composerLines)
        switch c.mode {
        case .help(let scroll): help(&g, c, scroll: scroll)
        case .messages(let scroll): messages(&g, c, scroll: scroll)
        case .picker(let p): picker(&g, p)
        case .normal, .filter, .command, .prompt, .composer, .choice: break  // drawn in the bottom lines
        }
        return g
    }

    // MARK: Header

    static func header(_ g: inout Grid, _ c: ConsoleController) {
        let live = c.journalHealth.isLive
        var col = 0
        let tabs: [(String, Channel?)] = [("All", nil), ("Email", .email), ("Call", .call), ("Chat", .chat)]
        for (i, (name, ch)) in tabs.enumerated() {
            let n = ch.map { c.list.counts[$0] ?? 0 } ?? c.list.counts.values.reduce(0, +)
            let text = " \(i + 1) \(name) \(n) "
            let active = c.queue == ch
            col += g.put(text, row: 0, col: col, style: Style(bold: active, reverse: active))
            col += g.put("│", row: 0, col: col, style: dimStyle)
        }
        let cal = c.desk.rules.calendar
        let clock = String(c.now.iso(offsetSeconds: cal.utcOffset(at: c.now)).dropFirst(11).prefix(8))
        let presence = c.state.presence[c.desk.actor.user].map { $0.presence == .available ? "" : " (\($0.presence.rawValue))" } ?? ""
        // As much as fits, the agent and their presence first: away must always show.
        let state = c.journalHealth.label
        for right in ["\(c.desk.actor.user)\(presence) · \(state) · \(clock)", "\(c.desk.actor.user)\(presence) · \(state)",
                      "\(c.desk.actor.user)\(presence)", presence.trimmingCharacters(in: .whitespaces)] {
            let rw = DisplayWidth.of(right)
            if g.cols - rw - 1 > col {
                g.put(right, row: 0, col: g.cols - rw - 1, style: live ? Style() : lateStyle)
                break
            }
        }
        // What changes and matters most first: a narrow screen cuts the end.
        var line = "\(c.rows.count) ticket\(c.rows.count == 1 ? "" : "s")"
        if c.rows.count > c.pageSize {
            line += " (\(c.scrollTop + 1)–\(min(c.rows.count, c.scrollTop + c.pageSize)) shown)"
        }
        let waiting = c.queue.map { c.waiting[$0] ?? 0 } ?? c.waiting.values.reduce(0, +)
        line += " · \(waiting) waiting"
        let unread = c.unread.filter { c.list.contains($0, in: c.state) }.count
        if unread > 0 { line += " · \(unread) unread •" }
        let strangers = c.awaitingMail.filter { c.list.contains($0, in: c.state) }.count
        if strangers > 0 { line += " · \(strangers) with mail from another sender ⚠ (A)" }
        if !c.marked.isEmpty {
            let hidden = c.marked.filter { !c.list.contains($0, in: c.state) }.count
            line += " · \(c.marked.count) marked" + (hidden > 0 ? " (\(hidden) not in view; :unmark clears)" : "")
        }
        line += " · sort: \(c.order.label)"
        line += " · filter: " + (c.filterText.isEmpty ? "none" : c.filterText)
        g.put(line, row: 1, col: 0, style: dimStyle)
    }

    // MARK: List

    enum Field { case mark, id, channel, status, priority, customer, subject, waiting, sla, assignee }
    struct Column {
        var field: Field
        var title: String
        var width: Int
        init(_ field: Field, _ title: String, _ width: Int) {
            self.field = field
            self.title = title
            self.width = width
        }
    }

    /// The list's columns for a width: fewer and narrower as the terminal narrows.
    static func columns(_ width: Int) -> [Column] {
        if width >= 110 {
            let fixed = 2 + 14 + 2 + 10 + 7 + 18 + 7 + 13 + 10
            return [.init(.mark, "", 2), .init(.id, "ID", 14), .init(.channel, "", 2), .init(.status, "STATUS", 10),
                    .init(.priority, "PRIO", 7), .init(.customer, "CUSTOMER", 18), .init(.subject, "SUBJECT", max(10, width - fixed)),
                    .init(.waiting, "WAIT", 7), .init(.sla, "SLA", 13), .init(.assignee, "ASSIGNEE", 10)]
        }
        if width >= 76 {
            let fixed = 2 + 14 + 2 + 10 + 7 + 13 + 9
            return [.init(.mark, "", 2), .init(.id, "ID", 14), .init(.channel, "", 2), .init(.status, "STATUS", 10),
                    .init(.priority, "PRIO", 7), .init(.subject, "SUBJECT", max(10, width - fixed)), .init(.sla, "SLA", 13),
                    .init(.assignee, "ASSIGNEE", 9)]
        }
        if width >= 70 {
            let fixed = 2 + 14 + 2 + 10 + 7 + 13
            return [.init(.mark, "", 2), .init(.id, "ID", 14), .init(.channel, "", 2), .init(.status, "STATUS", 10),
                    .init(.subject, "SUBJECT", max(10, width - fixed)), .init(.waiting, "WAIT", 7), .init(.sla, "SLA", 13)]
        }
        return [.init(.mark, "", 2), .init(.id, "ID", 14), .init(.channel, "", 2), .init(.sla, "SLA", 11),
                .init(.subject, "SUBJECT", max(5, width - 2 - 14 - 2 - 11))]
    }

    static func glyph(_ ch: Channel) -> String {
        switch ch {
        case .email: "✉"
        case .call: "☎"
        case .chat: "✎"
        }
    }

    /// SLA as colour plus glyph and word, so it reads in monochrome too.
    public static func sla(_ s: SLAStatus, now: Instant) -> (String, Style) {
        switch s.state {
        case .none: return ("-", dimStyle)
        case .paused: return ("‖ paused", dimStyle)
        case .ok: return ("● " + (s.dueAt.map { span($0 - now) } ?? "ok"), okStyle)
        case .atRisk: return ("▲ RISK " + (s.dueAt.map { span($0 - now) } ?? ""), riskStyle)
        case .breached: return ("✖ LATE " + (s.dueAt.map { span(now - $0) } ?? "‖"), lateStyle)
        }
    }

    static func span(_ ms: Millis) -> String { DurationText.compact(milliseconds: ms) }

    static func list(_ g: inout Grid, _ c: ConsoleController, _ l: ScreenLayout) {
        let cols = columns(l.listWidth)
        var x = 0
        for col in cols {
            g.put(col.title, row: 2, col: x, width: col.width - 1, style: Style(bold: true, underline: true))
            x += col.width
        }
        if c.rows.isEmpty {
            g.put(c.filterText.isEmpty ? "Nothing waiting in this queue." : "No ticket matches the filter.", row: l.listTop + 1, col: 2, style: dimStyle)
            return
        }
        let ctx = c.context
        let awaiting = c.awaitingMail  // once per frame, not per row
        for i in 0..<l.listHeight {
            let index = c.scrollTop + i
            guard index < c.rows.count, let t = c.state[c.rows[index]] else { break }
            let row = l.listTop + i
            let (slaText, slaStyle) = sla(ctx.sla(t), now: c.now)
            let status = ctx.status(t)
            var x = 0
            for col in cols {
                let w = col.width - 1
                switch col.field {
                case .mark:
                    let mark = c.marked.contains(t.id) ? "◆" : awaiting.contains(t.id) ? "⚠" : c.unread.contains(t.id) ? "•" : " "
                    g.put(mark, row: row, col: x, width: w, style: Style(bold: true))
                case .channel: g.put(glyph(t.channel), row: row, col: x, width: w)
                case .id: g.put(t.id.description, row: row, col: x, width: w)
                case .status: g.put(status.rawValue, row: row, col: x, width: w, style: status.isWaitingForDesk ? Style(bold: true) : .plain)
                case .priority: g.put(t.priority.name, row: row, col: x, width: w, style: t.priority >= .high ? Style(color: .red) : .plain)
                case .customer: g.put(t.customer.name, row: row, col: x, width: w)
                case .subject: g.put(t.subject, row: row, col: x, width: w)
                case .waiting: g.put(t.waitingSince.map { span(c.now - $0) } ?? "-", row: row, col: x, width: w)
                case .sla: g.put(slaText, row: row, col: x, width: w, style: slaStyle)
                case .assignee: g.put(t.assignee ?? "-", row: row, col: x, width: w, style: t.assignee == c.desk.actor.user ? Style(bold: true) : .plain)
                }
                x += col.width
            }
            if index == c.cursor { g.restyle(row: row, width: l.listWidth) { $0.reverse = true } }
        }
    }

    // MARK: Detail

    static func time(_ t: Instant, _ c: ConsoleController) -> String {
        let iso = t.iso(offsetSeconds: c.desk.rules.calendar.utcOffset(at: t))
        return String(iso.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ")
    }

    /// The detail pane's text: two pinned lines (the ticket and its state), then the lines that
    /// scroll — the customer card (one line when the pane is short), the conversation, the history —
    /// with where each message starts and which lines hold the newest one.
    struct DetailText {
        var pinned: [(String, Style)] = []
        var body: [(String, Style)] = []
        var messageStarts: [Int] = []
        var newest: Range<Int>?
    }

    static func detailText(_ c: ConsoleController, _ t: Ticket, width: Int, short: Bool) -> DetailText {
        var d = DetailText()
        func add(_ s: String, _ st: Style = .plain, indent: String = "") {
            for line in ScreenText.lines(s) { for w in ScreenText.wrap(line, width: max(1, width - indent.count)) { d.body.append((indent + w, st)) } }
        }
        let ctx = c.context
        d.pinned.append(("\(t.id)  \(glyph(t.channel)) \(t.channel.rawValue)  \(ScreenText.line(t.subject))", headStyle))
        let (slaText, slaStyle) = sla(ctx.sla(t), now: c.now)
        let tags = t.tags.isEmpty ? "" : " · #" + t.tags.joined(separator: " #")
        let draft = c.drafts.contains(t.id) ? " · draft kept" : ""
        d.pinned.append(("\(ctx.status(t).rawValue) · \(t.priority.name) · \(t.assignee ?? "unassigned") · \(t.department ?? "no department")\(draft) · SLA \(slaText)"
                         + (ctx.sla(t).target.map { " (\($0))" } ?? "") + tags, slaStyle == okStyle ? .plain : slaStyle))
        let strangers = c.state.awaiting(on: t.id)
        if !strangers.isEmpty {
            let who = strangers.map(\.record.sender).joined(separator: ", ")
            d.pinned.append((ScreenText.line("⚠ mail from \(who), not this customer: it changes nothing until accepted (A)"), riskStyle))
        }
        let cu = t.customer
        let groups = cu.groups.isEmpty ? "" : "  [" + cu.groups.map { $0.uppercased() }.joined(separator: ", ") + "]"
        let others = c.state.otherTickets(of: t)
        if short {
            var card = "Customer \(cu.name)\(groups)"
            if let e = cu.email { card += " ✉ \(e)" }
            if let p = cu.phone { card += " ☎ \(p)" }
            if !t.cc.isEmpty { card += " · cc \(t.cc.count)" }
            if !t.attachments.isEmpty { card += " · 📎 \(t.attachments.count)" }
            if !others.isEmpty { card += " · \(others.count) other ticket\(others.count == 1 ? "" : "s")" }
            d.body.append((ScreenText.line(card), headStyle))
        } else {
            add("Customer  \(cu.name)\(groups)", headStyle)
            if let e = cu.email { add("  ✉ \(e)") }
            if let p = cu.phone { add("  ☎ \(p)") }
            if !t.cc.isEmpty { add("  cc " + t.cc.joined(separator: ", ")) }
            if !others.isEmpty {
                add("other tickets: " + others.prefix(6).map { id in "\(id) \(c.state[id].map { ctx.status($0).rawValue } ?? "")" }.joined(separator: ", "), indent: "  ")
            }
            if let l = t.linkedFrom { add("  continues \(l)") }
            if let l = t.linkedTo { add("  continued in \(l)") }
        }
        add("── conversation (\(t.entries.count)) ──", dimStyle)
        let files = t.attachmentsByEntry
        for (index, e) in t.entries.enumerated() {
            let start = d.body.count
            d.messageStarts.append(start)
            switch e.kind {
            case .customer: add("\(time(e.at, c))  \(e.author) wrote", headStyle); add(e.body, indent: "  ")
            case .reply: add("\(time(e.at, c))  reply by \(e.author)", Style(color: .cyan, bold: true)); add(e.body, indent: "  ")
            case .note: add("\(time(e.at, c))  INTERNAL NOTE by \(e.author)", Style(color: .magenta, bold: true)); add(e.body, noteStyle, indent: "┃ ")
            case .record: add("\(time(e.at, c))  \(e.body)", dimStyle)
            }
            for (n, a) in files[index] ?? [] {
                add("  📎 \(n) \(a.file.summary)" + (a.file.isKept ? "  (o: open · :save \(n) PATH)" : ""), Style(color: .yellow, bold: false))
            }
            d.newest = start..<d.body.count
        }
        d.body.append(("", .plain))
        add("── history ──", dimStyle)
        for h in t.history { add("\(time(h.at, c))  \(h.actor): \(h.text)", dimStyle) }
        return d
    }

    static func detail(_ g: inout Grid, _ c: ConsoleController, _ t: Ticket, _ d: (row: Int, col: Int, height: Int, width: Int)) {
        if d.col > 0 { for r in d.row..<(d.row + d.height) { g.put("│", row: r, col: d.col - 1, style: dimStyle) } }
        else { g.put(String(repeating: "─", count: d.width), row: d.row, col: 0, style: dimStyle) }
        let top = d.col > 0 ? d.row : d.row + 1
        let height = d.col > 0 ? d.height : d.height - 1
        let width = d.width - 1
        let text = detailText(c, t, width: width, short: height < 18)
        let pinned = min(text.pinned.count, max(0, height - 2))
        for i in 0..<pinned { g.put(text.pinned[i].0, row: top + i, col: d.col, width: width, style: text.pinned[i].1) }
        var bodyHeight = height - pinned
        let overflow = text.body.count > bodyHeight
        if overflow { bodyHeight -= 1 }  // the last row tells where we are
        guard bodyHeight > 0 else { return }
        // Open at the newest message: its end at the bottom, or its start at the top when it is
        // taller (on a pane of a line or three, its last lines: its author line alone says nothing).
        var anchor = 0
        if let n = text.newest {
            anchor = bodyHeight < 4 ? max(0, n.upperBound - bodyHeight) : max(0, min(n.lowerBound, n.upperBound - bodyHeight))
        }
        c.measureDetail(height: bodyHeight, total: text.body.count, messageStarts: text.messageStarts, anchor: anchor)
        let first = c.pager.top
        for i in 0..<bodyHeight {
            let index = first + i
            guard index < text.body.count else { break }
            g.put(text.body[index].0, row: top + pinned + i, col: d.col, width: width, style: text.body[index].1)
        }
        if overflow {
            let above = first, below = max(0, text.body.count - first - bodyHeight)
            let keys = [ConsoleAction.scrollUp, .scrollDown, .previousMessage, .nextMessage].map { c.keyMap.keys(of: $0).split(separator: " ").first.map(String.init) ?? "" }
            let where_ = (above > 0 ? "↑ \(above) more" : "top") + " · " + (below > 0 ? "↓ \(below) more" : "end")
            g.put("── \(where_) · \(keys[0]) \(keys[1]) scroll · \(keys[2]) \(keys[3]) messages ──", row: top + pinned + bodyHeight, col: d.col, width: width, style: dimStyle)
        }
    }

    // MARK: Bottom lines, overlays

    static func bottom(_ g: inout Grid, _ c: ConsoleController, _ l: ScreenLayout, composerLines: Int) {
        let flashRow = g.rows - 2 - composerLines
        switch c.mode {
        case .filter(let text): g.put("/" + text + "▏", row: flashRow, col: 0, style: Style(bold: true))
        case .command(let text):
            if !c.completionChoices.isEmpty {
                // As many rows as the choices need (up to four), above the command line.
                let rowsOfChoices = Array(ScreenText.wrap(c.completionChoices.joined(separator: "  "), width: max(8, g.cols - 2)).prefix(4))
                for (i, text) in rowsOfChoices.enumerated() {
                    let row = flashRow - rowsOfChoices.count + i
                    g.fill(row: row, col: 0, height: 1, width: g.cols, style: Style(reverse: true))
                    g.put(" " + text, row: row, col: 0, style: Style(reverse: true))
                }
            }
            g.put(":" + text + "▏", row: flashRow, col: 0, style: Style(bold: true))
        case .prompt(let p): g.put(p.label + p.text + "▏", row: flashRow, col: 0, style: Style(bold: true))
        case .choice(let ch):
            // The keys first: on a narrow screen they are what must show.
            let options = ch.options.map { "\($0.key) \($0.label)" }.joined(separator: " · ")
            g.fill(row: flashRow, col: 0, height: 1, width: g.cols, style: Style(color: .yellow, reverse: true))
            g.put("\(options) · Esc \(escapeLabel(ch)) — \(ch.question)", row: flashRow, col: 0, style: Style(color: .yellow, bold: true, reverse: true))
        case .composer(let comp):
            flashLine(&g, c, row: flashRow)
            composer(&g, c, comp, row: flashRow + 1, lines: composerLines)
        case .normal, .picker, .help, .messages:
            flashLine(&g, c, row: flashRow)
        }

        var hints: [(ConsoleAction, String)] = [(.help, "help"), (.back, "quit"), (.down, "move"), (.open, "open"), (.filter, "filter"),
                                         (.sort, "sort"), (.reply, "reply"), (.assign, "assign"), (.postpone, "postpone"), (.resolve, "resolve")]
        if case .composer = c.mode {
            hints = [(.send, "send"), (.newLine, "new line"), (.insertCanned, "canned"), (.deleteWord, "delete word"), (.leave, "leave")]
        }
        let bar = hints.filter { c.keyMap.contains($0.0) }.map { "\(c.keyMap.keys(of: $0.0).split(separator: " ").first ?? "") \($0.1)" }.joined(separator: "  ")
        g.fill(row: g.rows - 1, col: 0, height: 1, width: g.cols, style: Style(reverse: true))
        g.put(bar, row: g.rows - 1, col: 0, style: Style(reverse: true))
    }

    /// The flash line: the last message for a few seconds (an error until the next one); one too long
    /// for the screen says where to read it whole.
    static func flashLine(_ g: inout Grid, _ c: ConsoleController, row: Int) {
        guard let f = c.flash, c.now - f.at < .seconds(8) || f.error else { return }
        let style = f.error ? lateStyle : Style(bold: true)
        let more = " (\(c.keyMap.keys(of: .messages).split(separator: " ").first ?? ":messages") shows it all)"
        if DisplayWidth.of(ScreenText.line(f.text)) > g.cols && g.cols > DisplayWidth.of(more) + 10 {
            let used = g.put(f.text, row: row, col: 0, width: g.cols - DisplayWidth.of(more), style: style)
            g.put(more, row: row, col: used, style: dimStyle)
        } else {
            g.put(f.text, row: row, col: 0, style: style)
        }
    }

    static func escapeLabel(_ ch: Choice) -> String {
        switch ch.onEscape {
        case .keepDraft, .keepComposer: "keep as draft"
        case .backToComposer: "back to typing"
        case .sendAnyway, .send: "send"
        case .editAgain: "edit"
        case .discardComposer, .discardDraft: "discard"
        case .keepWaiting: "keep waiting"
        case .acceptMail: "accept"
        case .dismissMail: "dismiss"
        }
    }

    /// The chat composer: a frame line (whose reply, the keys, or a notice where the agent is
    /// looking), then the text soft-wrapped, scrolled to keep the cursor in view.
    static func composer(_ g: inout Grid, _ c: ConsoleController, _ comp: Composer, row: Int, lines: Int) {
        let k = { (a: ConsoleAction) in c.keyMap.keys(of: a).split(separator: " ").first.map(String.init) ?? "" }
        if let n = comp.notice {
            g.fill(row: row, col: 0, height: 1, width: g.cols, style: Style(color: .yellow, reverse: true))
            g.put("── \(n) ──", row: row, col: 0, style: Style(color: .yellow, bold: true, reverse: true))
        } else {
            g.put("── reply to \(comp.ticket) · \(k(.send)) sends · \(k(.newLine)) new line · \(k(.insertCanned)) canned · \(k(.leave)) leave ──",
                  row: row, col: 0, style: dimStyle)
        }
        c.composerWidth = g.cols
        let layout = comp.field.layout(width: g.cols)
        let visible = max(1, lines - 1)
        let first = max(0, min(layout.cursorRow - visible + 1, layout.lines.count - visible))
        for i in 0..<visible {
            let index = first + i
            guard index < layout.lines.count else { break }
            g.put(layout.lines[index], row: row + 1 + i, col: 0, width: g.cols - 1)
        }
        let cursorRow = row + 1 + layout.cursorRow - first
        g.restyle(row: cursorRow, col: min(layout.cursorCol, g.cols - 1), width: 1) { $0.reverse = true }
    }

    static func box(_ g: inout Grid, title: String, lines: [(String, Style)], width: Int) {
        let w = min(g.cols - 2, width)
        let h = min(g.rows - 2, lines.count + 2)
        let top = max(0, (g.rows - h) / 2), left = max(0, (g.cols - w) / 2)
        g.fill(row: top, col: left, height: h, width: w)
        g.put("┌" + String(repeating: "─", count: w - 2) + "┐", row: top, col: left)
        g.put(" \(title) ", row: top, col: left + 2, style: headStyle)
        for i in 1..<(h - 1) {
            g.put("│", row: top + i, col: left)
            if i - 1 < lines.count { g.put(lines[i - 1].0, row: top + i, col: left + 2, width: w - 4, style: lines[i - 1].1) }
            g.put("│", row: top + i, col: left + w - 1)
        }
        g.put("└" + String(repeating: "─", count: w - 2) + "┘", row: top + h - 1, col: left)
    }

    /// Generated from the live key map: what it lists is exactly what the keys do. It scrolls.
    static func help(_ g: inout Grid, _ c: ConsoleController, scroll: Int) {
        let notes = ["Placeholders in replies and canned responses: " + Placeholders.names.map(\.0).joined(separator: " "),
                     "A paste is always text: in the composer it keeps its lines; elsewhere it never runs keys."]
        let r = keyHelp(&g, c.keyMap, title: "Keys", commandLine: true, notes: notes, width: 110, scroll: scroll)
        c.helpPage = r.visible
        c.overlayLines = r.total
    }

    /// The help overlay of a key map (the console's and the wall's): keys, summary, and the
    /// command-line form where there is a command line; grouped by where the keys work.
    /// Returns how many lines show at once and how many there are.
    @discardableResult
    static func keyHelp<Action: ScreenAction>(_ g: inout Grid, _ keyMap: KeyMap<Action>, title: String, commandLine: Bool, notes: [String], width: Int, scroll: Int = 0) -> (visible: Int, total: Int) {
        var lines: [(String, Style)] = []
        let inner = min(g.cols - 2, width) - 4  // the box's text width
        for scope in Scope.allCases {
            let bindings = keyMap.bindings.filter { $0.scope == scope }
            guard !bindings.isEmpty else { continue }
            if scope != .queue || keyMap.bindings.contains(where: { $0.scope != .queue }) { lines.append((scope.title, headStyle)) }
            for b in bindings {
                let keys = b.keys.isEmpty ? "" : b.keys.map(\.description).joined(separator: " ")
                let cmd = commandLine && b.onCommandLine ? "   :" + b.action.rawValue + (b.arguments.map { " " + $0 } ?? "") : ""
                // Wrapped, not cut: on a narrow screen every word of every binding still shows.
                let text = "  " + keys.padding(toLength: max(14, DisplayWidth.of(keys) + 1), withPad: " ", startingAt: 0) + b.summary + cmd
                var rest = text
                var first = true
                while !rest.isEmpty {
                    let parts = ScreenText.wrap(rest, width: max(8, first ? inner : inner - 16))
                    lines.append(((first ? "" : String(repeating: " ", count: 16)) + parts[0], .plain))
                    rest = parts.dropFirst().joined(separator: " ").trimmingCharacters(in: .whitespaces)
                    first = false
                }
            }
        }
        for n in notes { for part in ScreenText.wrap(n, width: inner) { lines.append((part, dimStyle)) } }
        return scrollBox(&g, title: title, lines: lines, width: width, scroll: scroll)
    }

    /// A box of lines that scrolls: what shows from `scroll` on, with where it is. Returns the lines
    /// that show at once and the count of all (the controller pages and clamps by them).
    @discardableResult
    static func scrollBox(_ g: inout Grid, title: String, lines: [(String, Style)], width: Int, scroll: Int) -> (visible: Int, total: Int) {
        let room = max(2, g.rows - 4)  // lines inside the box
        let fits = lines.count + 1 <= room
        let visibleCount = fits ? lines.count : room - 1
        let first = max(0, min(scroll, lines.count - visibleCount))
        var shown = Array(lines[first..<min(lines.count, first + visibleCount)])
        if !fits {
            let end = first + visibleCount >= lines.count
            shown.append(("\(first + 1)–\(first + shown.count) of \(lines.count) · " + (end ? "end" : "more below") + " · j k PgDn PgUp g G · q closes", dimStyle))
        } else {
            shown.append(("any other key closes this", dimStyle))
        }
        box(&g, title: title, lines: shown, width: width)
        return (visibleCount, lines.count)
    }

    /// The flash line's messages, whole and wrapped, oldest first: what a cut line said.
    static func messages(_ g: inout Grid, _ c: ConsoleController, scroll: Int) {
        let inner = min(g.cols - 2, 110) - 4
        var lines: [(String, Style)] = []
        for m in c.messages {
            let stamp = String(m.at.iso(offsetSeconds: c.desk.rules.calendar.utcOffset(at: m.at)).dropFirst(11).prefix(8))
            var rest = ScreenText.line(stamp + "  " + m.text)
            var first = true
            while !rest.isEmpty {
                let parts = ScreenText.wrap(rest, width: max(8, first ? inner : inner - 10))
                lines.append(((first ? "" : String(repeating: " ", count: 10)) + parts[0], m.error ? lateStyle : .plain))
                rest = parts.dropFirst().joined(separator: " ")
                first = false
            }
        }
        if lines.isEmpty { lines.append(("nothing said yet", dimStyle)) }
        let r = scrollBox(&g, title: "Messages", lines: lines, width: 110, scroll: scroll)
        c.helpPage = r.visible
        c.overlayLines = r.total
    }

    static func picker(_ g: inout Grid, _ p: Picker) {
        var lines: [(String, Style)] = [("› " + p.query + "▏", headStyle)]
        let items = p.visible
        let start = max(0, p.selection - 12)
        for (i, item) in items.enumerated().dropFirst(start).prefix(14) {
            lines.append(((i == p.selection ? "▶ " : "  ") + item.label, i == p.selection ? Style(reverse: true) : .plain))
        }
        if items.isEmpty { lines.append(("no match", dimStyle)) }
        box(&g, title: p.title, lines: lines, width: 60)
    }
}
