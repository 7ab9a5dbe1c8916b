/// What a view needs besides the tickets: the moment, the acting agent, the rules, and caches that
/// survive between frames (SLA plans and folded search text, both keyed by ticket version).
public final class ViewContext: @unchecked Sendable {
    public var now: Instant
    public let me: String
    public let rules: DeskRules
    public let slaBook: SLABook
    private var texts: [TicketID: (UInt32, String)] = [:]

    public init(now: Instant, me: String, rules: DeskRules) {
        self.now = now
        self.me = me
        self.rules = rules
        self.slaBook = SLABook(rules: rules)
    }

    public func status(_ t: Ticket) -> TicketStatus { t.status(at: now, autoCloseAfter: rules.autoCloseAfter) }
    public func sla(_ t: Ticket) -> SLAStatus { slaBook.status(t, at: now) }

    func searchText(_ t: Ticket) -> String {
        if let (v, s) = texts[t.id], v == t.version { return s }
        var parts = [t.id.raw, t.id.description, t.subject, t.customer.name, t.customer.email ?? "", t.customer.phone ?? ""]
        parts += t.tags
        if let first = t.entries.first { parts.append(first.body) }
        let s = TicketFilter.fold(parts.joined(separator: "\n"))
        texts[t.id] = (t.version, s)
        return s
    }
}
