import Foundation
import QueueDeckDomain
import QueueDeckText

/// Draws the wall into a Grid. Pure: the board in, cells out. Big digits when there is room, the
/// same figures as plain lines when there is not (down to 40×12 and below).
public enum WallView {
    typealias Rect = (row: Int, col: Int, height: Int, width: Int)

    static let head = Style(bold: true)
    static let dim = Style(dim: true)
    static let bar = Style(reverse: true)

    static func style(_ l: AlertLevel) -> Style {
        switch l {
        case .ok: Style(color: .green)
        case .warn: Style(color: .yellow, bold: true)
        case .alert: Style(color: .red, bold: true)
        }
    }

    public static func render(_ b: WallBoard, rows: Int, cols: Int, glyphs: WallGlyphs) -> Grid {
        var g = Grid(rows: rows, cols: cols)
        guard rows >= 4, cols >= 20 else {
            g.put("too small: \(cols)×\(rows)", row: 0, col: 0)
            return g
        }
        header(&g, b)
        let body: Rect = (1, 0, rows - 2, cols)
        // Below this the panels cannot hold big digits and their details: one line per figure instead.
        let roomy = body.height >= 16 && cols >= 60
        switch b.layout {
        case .channels where !roomy:
            compact(&g, b, glyphs, body)
        case .overview:
            if roomy {
                let top = body.height * 3 / 5
                channels(&g, b, glyphs, (body.row, 0, top, cols))
                let lower: Rect = (body.row + top, 0, body.height - top, cols)
                if cols >= 100 {
                    agents(&g, b, glyphs, (lower.row, 0, lower.height, cols / 2 - 1))
                    backlog(&g, b, glyphs, (lower.row, cols / 2 + 1, lower.height, cols - cols / 2 - 1))
                } else {
                    let half = lower.height / 2
                    agents(&g, b, glyphs, (lower.row, 0, half, cols))
                    backlog(&g, b, glyphs, (lower.row + half, 0, lower.height - half, cols))
                }
            } else {
                compact(&g, b, glyphs, body)
            }
        case .channels: channels(&g, b, glyphs, body)
        case .agents: agents(&g, b, glyphs, body)
        case .backlog: backlog(&g, b, glyphs, body)
        }
        footer(&g, b)
        if b.showHelp { help(&g, b) }
        return g
    }

    // MARK: Frame

    static func header(_ g: inout Grid, _ b: WallBoard) {
        g.fill(row: 0, col: 0, height: 1, width: g.cols, style: bar)
        let offset = b.rules.calendar.utcOffset(at: b.now)
        let clock = String(b.now.iso(offsetSeconds: offset).prefix(19)).replacingOccurrences(of: "T", with: " ")
        var mode: String
        switch b.mode {
        case .live: mode = b.journalHealth.label.uppercased()
        case .at: mode = "AS IT STOOD AT"
        case .replay(let speed): mode = "REPLAY ×\(speed == speed.rounded() ? String(Int(speed)) : String(speed))" + (b.replayFinished ? " (end)" : "")
        }
        if b.paused { mode = "PAUSED · " + mode }
        let left = " QUEUEDECK WALL · \(b.scope.label) · \(b.layout.rawValue)"
        let right = "\(mode) \(clock) "
        let rw = min(g.cols, DisplayWidth.of(right))
        if g.cols - rw - 1 > 0 { g.put(left, row: 0, col: 0, width: g.cols - rw - 1, style: Style(bold: true, reverse: true)) }
        g.put(right, row: 0, col: g.cols - rw, style: Style(bold: b.paused || b.mode != .live, reverse: true))
    }

    static func footer(_ g: inout Grid, _ b: WallBoard) {
        let hints = b.keyMap.bindings.map { "\($0.keys.first?.description ?? "") \($0.action == .back ? "quit" : $0.action.rawValue)" }
            .joined(separator: "  ")
        var text = hints
        if let p = b.journalHealth.problem { text = "journal: \(p)  " + hints }
        g.put(text, row: g.rows - 1, col: 0, style: b.journalHealth.isLive ? dim : style(.alert))
    }

    static func help(_ g: inout Grid, _ b: WallBoard) {
        ConsoleView.keyHelp(&g, b.keyMap, title: "Wall keys", commandLine: false, notes: ["read-only: nothing here changes tickets"], width: 72)
    }

    // MARK: Channels

    struct Line {
        var label: String
        var value: String
        var level: AlertLevel
    }

    static func channelLines(_ b: WallBoard, _ c: Channel) -> (waiting: Int, lines: [Line]) {
        let f = b.metrics.channels[c] ?? ChannelFigures()
        let t = b.rules.thresholds
        var lines = [
            Line(label: "oldest", value: f.oldestWaitingSeconds.map { DurationText.compact(milliseconds: Millis($0 * 1000)) } ?? "—",
                 level: t.level(.oldestWaiting, f.oldestWaitingSeconds)),
            Line(label: "SLA today", value: f.slaCompliance.percent.map { String(Int($0.rounded(FloatingPointRoundingRule.down))) + "%" } ?? "—",
                 level: t.level(.slaCompliance, f.slaCompliance.percent)),
            Line(label: "at risk", value: String(f.atRisk), level: t.level(.atRisk, Double(f.atRisk))),
            Line(label: "breached", value: String(f.breached), level: t.level(.breached, Double(f.breached))),
        ]
        if c != .email { lines.append(Line(label: "abandoned", value: String(f.abandoned), level: t.level(.abandoned, Double(f.abandoned)))) }
        return (f.waiting, lines)
    }

    static func channels(_ g: inout Grid, _ b: WallBoard, _ gl: WallGlyphs, _ r: Rect) {
        let list = b.scope.channels
        let wide = r.width / list.count >= 24
        for (i, c) in list.enumerated() {
            let rect: Rect = wide
                ? (r.row, r.col + i * r.width / list.count, r.height, r.width / list.count - 1)
                : (r.row + i * r.height / list.count, r.col, r.height / list.count, r.width)
            channel(&g, b, gl, c, rect)
        }
    }

    static func channel(_ g: inout Grid, _ b: WallBoard, _ gl: WallGlyphs, _ c: Channel, _ r: Rect) {
        guard r.height >= 1, r.width >= 10 else { return }
        let (waiting, lines) = channelLines(b, c)
        let level = b.rules.thresholds.level(.waiting, Double(waiting))
        let before = b.trend.waitingBefore[c] ?? waiting
        let dir = TrendDirection(from: before, to: waiting)
        let delta = waiting - before
        let trendText = "\(gl.arrow(dir)) \(delta > 0 ? "+" : "")\(delta == 0 ? "" : String(delta))".trimmingCharacters(in: .whitespaces)
        g.put(c.rawValue.uppercased() + " waiting", row: r.row, col: r.col + 1, style: head)
        let titleEnd = r.col + 1 + c.rawValue.count + 8
        g.put(" " + gl.badge(level), row: r.row, col: titleEnd, width: r.col + r.width - titleEnd, style: style(level))

        let detailRows = 5  // the same for every channel, so that their digits line up
        let digitsHeight = r.height - 1 - detailRows - 1
        let number = String(waiting)
        if digitsHeight >= 5, let s = BigDigits.scale(number, width: r.width - 8, height: digitsHeight) {
            let size = BigDigits.size(number.count, sx: s.sx, sy: s.sy)
            let top = r.row + 1 + (digitsHeight - size.rows) / 2
            BigDigits.draw(number, into: &g, row: top, col: r.col + 1, sx: s.sx, sy: s.sy, block: gl.block, style: style(level))
            g.put(trendText, row: top, col: r.col + 2 + size.cols, style: head)
        } else {
            g.put("\(number)  \(trendText)", row: r.row + 1, col: r.col + 1, style: style(level).with(bold: true))
        }
        let first = r.row + r.height - detailRows
        for (i, l) in lines.enumerated() where first + i > r.row + 1 || digitsHeight < 5 {
            row(&g, l, gl, row: max(first + i, r.row + 2 + i), col: r.col + 1, width: r.width - 1)
        }
    }

    /// "label   value   ▲ WARN" in a fixed layout so columns line up across panels.
    static func row(_ g: inout Grid, _ l: Line, _ gl: WallGlyphs, row: Int, col: Int, width: Int) {
        let labelW = min(11, width / 2)
        g.put(l.label, row: row, col: col, width: labelW, style: dim)
        let used = g.put(l.value, row: row, col: col + labelW, width: max(0, width - labelW), style: style(l.level).with(bold: true))
        let badgeCol = col + labelW + max(used + 1, 7)
        let room = col + width - badgeCol
        // The word when it fits, else the glyph alone: the level always reads without colour.
        let badge = DisplayWidth.of(gl.badge(l.level)) <= room ? gl.badge(l.level) : gl.badge(l.level).split(separator: " ").first.map(String.init) ?? ""
        if room > 0 { g.put(badge, row: row, col: badgeCol, width: room, style: style(l.level)) }
    }

    // MARK: Agents

    static func agents(_ g: inout Grid, _ b: WallBoard, _ gl: WallGlyphs, _ r: Rect) {
        guard r.height >= 1 else { return }
        let m = b.metrics
        let t = b.rules.thresholds
        let avail = m.agentCount(.available)
        let availLevel = t.level(.available, Double(avail))
        g.put("AGENTS", row: r.row, col: r.col + 1, style: head)
        let summary = "\(gl.available) \(avail) available  \(gl.busy) \(m.agentCount(.busy)) busy  \(gl.away) \(m.agentCount(.away)) away  \(gl.offline) \(m.agentCount(.offline)) off"
        g.put(summary, row: r.row, col: r.col + 8, width: r.width - 8, style: style(availLevel))
        var y = r.row + 1
        // The agents layout gives the three counts big digits.
        if b.layout == .agents, r.height >= 14 {
            let counts: [(String, Int, Style)] = [("available", avail, style(availLevel)), ("busy", m.agentCount(.busy), .plain),
                                                  ("away", m.agentCount(.away), dim)]
            let w = r.width / 3
            let h = min(r.height / 2, 25)
            for (i, (name, n, st)) in counts.enumerated() {
                g.put(name, row: y, col: r.col + 1 + i * w, style: head)
                if let s = BigDigits.scale(String(n), width: w - 2, height: h - 1) {
                    BigDigits.draw(String(n), into: &g, row: y + 1, col: r.col + 1 + i * w, sx: s.sx, sy: s.sy, block: gl.block, style: st)
                }
            }
            y += h + 1
        }
        let order: [Availability] = [.busy, .available, .away, .offline]
        let sorted = m.agents.sorted {
            let a = order.firstIndex(of: $0.availability)!, c = order.firstIndex(of: $1.availability)!
            return a != c ? a < c : $0.assigned != $1.assigned ? $0.assigned > $1.assigned : $0.agent < $1.agent
        }
        let columns = r.width >= 90 && b.layout == .agents ? 2 : 1
        let colW = r.width / columns
        let perColumn = max(0, r.row + r.height - y)
        for (i, a) in sorted.enumerated() {
            let c = i / max(1, perColumn), rowY = y + i % max(1, perColumn)
            guard c < columns, perColumn > 0 else {
                g.put("+\(sorted.count - i) more", row: r.row + r.height - 1, col: r.col + r.width - 10, style: dim)
                break
            }
            let st: Style = a.availability == .available ? style(.ok) : a.availability == .offline ? dim : .plain
            let name = ScreenText.line(a.agent)
            let text = "\(gl.mark(a.availability)) \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(a.availability.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) load \(a.assigned) (\(a.waiting) waiting)"
            g.put(text, row: rowY, col: r.col + 1 + c * colW, width: colW - 2, style: st)
        }
    }

    // MARK: Backlog

    static func backlog(_ g: inout Grid, _ b: WallBoard, _ gl: WallGlyphs, _ r: Rect) {
        guard r.height >= 1 else { return }
        let m = b.metrics
        let level = b.rules.thresholds.level(.backlog, Double(m.backlog))
        let dir = TrendDirection(from: b.trend.backlogBefore, to: m.backlog)
        var y = r.row
        let title = "BACKLOG \(m.backlog) \(gl.arrow(dir))  \(gl.badge(level))  · created today \(m.createdInPeriod) · resolved today \(m.resolvedInPeriod)"
        g.put(title, row: y, col: r.col + 1, width: r.width - 1, style: style(level).with(bold: true))
        y += 1
        if b.layout == .backlog, r.height >= 16, let s = BigDigits.scale(String(m.backlog), width: r.width - 2, height: min(20, r.height - 10)) {
            BigDigits.draw(String(m.backlog), into: &g, row: y, col: r.col + 1, sx: s.sx, sy: s.sy, block: gl.block, style: style(level))
            y += BigDigits.size(String(m.backlog).count, sx: s.sx, sy: s.sy).rows + 1
        }
        guard y < r.row + r.height else { return }
        let ages = m.ageBuckets.map { "\($0.label) \($0.count)" }.joined(separator: "  ")
        g.put("age  " + ages, row: y, col: r.col + 1, width: r.width - 1)
        y += 1
        if b.layout == .backlog, y < r.row + r.height {
            // Self-service against everyone who reached the desk today (README, Metrics).
            let d = m.deflection
            let ratio = d.ratio.map { String(format: "%.2f", $0) } ?? "-"
            let wide = b.scope.department != nil || b.scope.channel != nil ? " (desk-wide)" : ""
            let users = { (n: Int) in "\(n) user\(n == 1 ? "" : "s")" }
            g.put("deflection \(ratio)\(wide)  · self-service \(d.interactions) by \(users(d.selfServiceUsers)) · \(users(d.users)) today, \(d.ticketUsers) opened tickets",
                  row: y, col: r.col + 1, width: r.width - 1)
            y += 1
        }
        let sparkW = max(0, r.width - 26)
        for (label, series) in [("8h", b.trend.backlogHours), ("7d", b.trend.backlogDays)] where y < r.row + r.height {
            let lo = series.min() ?? 0, hi = series.max() ?? 0
            let lineH = b.layout == .backlog ? max(1, min(4, (r.row + r.height - y) / 2 - 1)) : 1
            g.put(label, row: y, col: r.col + 1, style: head)
            if lineH == 1 {
                g.put(gl.sparkline(series, width: sparkW), row: y, col: r.col + 4, style: Style(color: .cyan))
            } else {
                bars(&g, series, gl, row: y, col: r.col + 4, width: sparkW, height: lineH)
            }
            g.put("\(lo)–\(hi) now \(series.last ?? 0)", row: y, col: r.col + 5 + sparkW, width: 21, style: dim)
            y += lineH + (lineH > 1 ? 1 : 0)
        }
    }

    /// A taller sparkline: `height` rows of blocks, for the backlog layout.
    static func bars(_ g: inout Grid, _ values: [Int], _ gl: WallGlyphs, row: Int, col: Int, width: Int, height: Int) {
        guard width > 0, !values.isEmpty else { return }
        // Scaled from the lowest to the highest value, like the one-line sparkline; the range is printed beside.
        let lo = values.min()!, span = max(1, values.max()! - lo)
        let steps = gl.spark.count
        for i in 0..<width {
            let v = values[min(values.count - 1, i * values.count / width)]
            var eighths = max(1, (v - lo) * height * steps / span)
            for level in 0..<height {
                let cellRow = row + height - 1 - level
                let fill = min(steps, eighths)
                eighths -= fill
                if fill > 0 { g.put(gl.spark[fill - 1], row: cellRow, col: col + i, width: 1, style: Style(color: .cyan)) }
            }
        }
    }

    // MARK: Small screens

    /// Every channel's figures in one line each, then agents and backlog: for small terminals.
    static func compact(_ g: inout Grid, _ b: WallBoard, _ gl: WallGlyphs, _ r: Rect) {
        var y = r.row
        for c in b.scope.channels where y < r.row + r.height {
            let (waiting, lines) = channelLines(b, c)
            let level = b.rules.thresholds.level(.waiting, Double(waiting))
            let dir = TrendDirection(from: b.trend.waitingBefore[c] ?? waiting, to: waiting)
            g.put("\(c.rawValue.uppercased()) \(waiting) \(gl.arrow(dir)) \(gl.badge(level))", row: y, col: r.col, style: style(level).with(bold: true))
            y += 1
            var x = r.col + 2
            for l in lines {
                let text = "\(l.label) \(l.value)\(l.level == .ok ? "" : " " + (l.level == .warn ? gl.warn : gl.alert))"
                let w = DisplayWidth.of(text) + 2
                if x + w > r.col + r.width { y += 1; x = r.col + 2 }
                guard y < r.row + r.height else { break }
                g.put(text, row: y, col: x, style: style(l.level))
                x += w
            }
            y += 1
        }
        let m = b.metrics
        if y < r.row + r.height {
            g.put("agents \(gl.available)\(m.agentCount(.available)) \(gl.busy)\(m.agentCount(.busy)) \(gl.away)\(m.agentCount(.away))", row: y, col: r.col)
            y += 1
        }
        if y < r.row + r.height {
            let dir = TrendDirection(from: b.trend.backlogBefore, to: m.backlog)
            g.put("backlog \(m.backlog) \(gl.arrow(dir)) " + gl.sparkline(b.trend.backlogHours, width: max(0, r.width - 20)), row: y, col: r.col)
        }
    }
}

extension Style {
    func with(bold: Bool) -> Style {
        var s = self
        s.bold = bold
        return s
    }
}
