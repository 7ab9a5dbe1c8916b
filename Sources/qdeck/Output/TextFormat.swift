import QueueDeckDomain
import QueueDeckText

/// Plain-text rendering for the command line. Every piece of customer text goes through ScreenText.
enum TextFormat {
    static func ago(_ ms: Millis) -> String { DurationText.compact(milliseconds: ms) }

    /// SLA as a word plus time: always readable without colour.
    static func sla(_ s: SLAStatus, now: Instant) -> String {
        switch s.state {
        case .none: return "-"
        case .paused: return "paused" + (s.remaining.map { " \(ago($0)) left" } ?? "")
        case .breached: return "BREACHED" + (s.dueAt.map { " \(ago(now - $0)) ago" } ?? "")
        case .atRisk: return "AT RISK " + (s.dueAt.map { ago($0 - now) } ?? "")
        case .ok: return "ok " + (s.dueAt.map { ago($0 - now) } ?? "")
        }
    }

    /// Exactly `width` terminal columns, cut with `…` (CJK counts two).
    static func cell(_ s: String, _ width: Int) -> String { ScreenText.fit(s, width: width, pad: true) }

    static func table(_ tickets: [Ticket], _ ctx: ViewContext) -> String {
        var out = [cell("ID", 13) + "  " + cell("CH", 5) + " " + cell("STATUS", 9) + " " + cell("PRIO", 6) + " "
            + cell("CUSTOMER", 20) + " " + cell("SUBJECT", 34) + " " + cell("WAIT", 7) + " " + cell("SLA", 18) + " ASSIGNEE"]
        for t in tickets {
            let wait = t.waitingSince.map { ago(ctx.now - $0) } ?? "-"
            out.append(cell(t.id.description, 13) + "  " + cell(t.channel.rawValue, 5) + " " + cell(ctx.status(t).rawValue, 9) + " "
                + cell(t.priority.name, 6) + " " + cell(t.customer.name, 20) + " " + cell(t.subject, 34) + " "
                + cell(wait, 7) + " " + cell(sla(ctx.sla(t), now: ctx.now), 18) + " " + ScreenText.line(t.assignee ?? "-"))
        }
        return out.joined(separator: "\n")
    }

    static func show(_ t: Ticket, _ ctx: ViewContext, others: [TicketID], awaiting: [AwaitingMail] = []) -> String {
        let c = t.customer
        var out: [String] = []
        out.append("\(t.id)  [\(t.channel.rawValue)]  \(ScreenText.line(t.subject))")
        out.append("status \(ctx.status(t).rawValue) · priority \(t.priority.name) · version \(t.version)")
        out.append("assignee \(ScreenText.line(t.assignee ?? "none")) · department \(ScreenText.line(t.department ?? "none"))"
            + (t.queue.map { " · queue " + ScreenText.line($0) } ?? "")
            + (t.tags.isEmpty ? "" : " · tags " + ScreenText.line(t.tags.joined(separator: ", "))))
        out.append("SLA \(sla(ctx.sla(t), now: ctx.now))" + (ctx.sla(t).target.map { " (\($0))" } ?? ""))
        var who = ScreenText.line(c.name)
        if let e = c.email { who += " <\(ScreenText.line(e))>" }
        if let p = c.phone { who += " ☎ \(ScreenText.line(p))" }
        if !c.groups.isEmpty { who += " [\(c.groups.joined(separator: ", ").uppercased())]" }
        out.append("customer \(who)")
        if !t.cc.isEmpty { out.append("cc " + ScreenText.line(t.cc.joined(separator: ", "))) }
        if !others.isEmpty { out.append("other tickets " + others.map(\.description).joined(separator: " ")) }
        if let l = t.linkedFrom { out.append("continues \(l)") }
        if let l = t.linkedTo { out.append("continued in \(l)") }
        out.append("created \(t.createdAt.isoUTC)" + (t.waitingSince.map { " · waiting since \($0.isoUTC)" } ?? ""))
        if !awaiting.isEmpty {
            let senders = awaiting.map { ScreenText.line($0.record.sender) }.joined(separator: ", ")
            out.append("⚠ \(awaiting.count) mail\(awaiting.count == 1 ? "" : "s") from another sender (\(senders)) awaiting an agent: qdeck accept \(t.id)")
        }
        out.append("")
        out.append("── conversation ──")
        let files = t.attachmentsByEntry
        for (index, e) in t.entries.enumerated() {
            let label = switch e.kind {
            case .note: "NOTE (internal) by"
            case .reply: "reply by"
            case .customer: "from"
            case .record: "recorded by"
            }
            out.append("\(e.at.isoUTC)  \(label) \(ScreenText.line(e.author))")
            for line in ScreenText.lines(e.body) { out.append((e.kind == .note ? "  ┃ " : "    ") + line) }
            for (n, a) in files[index] ?? [] {
                out.append("    📎 \(n) \(ScreenText.line(a.file.summary))" + (a.file.isKept ? "  (qdeck attachment \(t.id) \(n) --save PATH)" : ""))
            }
        }
        out.append("")
        out.append("── history ──")
        for h in t.history { out.append("\(h.at.isoUTC)  \(ScreenText.line(h.actor)): \(ScreenText.line(h.text))") }
        return out.joined(separator: "\n")
    }
}
