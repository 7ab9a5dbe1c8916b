/// What a view needs besides the tickets: the moment, the acting agent, the rules, and caches that
/// survive between frames (SLA plans and folded search text, both keyed by ticket version).
public final class ViewContext: @unchecked Sendable {
    public var now: Instant
    public let me: String
    public let rules: DeskRules
    public let slaBook: SLABook
    /// Folded search text by ticket slot (an array: no hashing on a pass over every ticket).
    private var texts: [(id: TicketID, version: UInt32, text: String)?] = []

    public init(now: Instant, me: String, rules: DeskRules) {
        self.now = now
        self.me = me
        self.rules = rules
        self.slaBook = SLABook(rules: rules)
    }

    public func status(_ t: Ticket) -> TicketStatus { t.status(at: now, autoCloseAfter: rules.autoCloseAfter) }
    public func sla(_ t: Ticket) -> SLAStatus { slaBook.status(t, at: now) }

    /// Computes the cached SLA plan and search text of a ticket ahead of need.
    public func warm(_ t: Ticket) {
        _ = slaBook.plan(t)
        _ = searchText(t)
    }

    func searchText(_ t: Ticket) -> String {
        let slot = t.slot
        if slot < texts.count, let c = texts[slot], c.version == t.version, c.id == t.id { return c.text }
        var parts = [t.id.raw, t.id.description, t.subject, t.customer.name, t.customer.email ?? "", t.customer.phone ?? ""]
        parts += t.tags
        if let first = t.entries.first { parts.append(first.body) }
        let s = TicketFilter.fold(parts.joined(separator: "\n"))
        if slot >= texts.count { texts.append(contentsOf: repeatElement(nil, count: slot - texts.count + 1)) }
        texts[slot] = (t.id, t.version, s)
        return s
    }
}
