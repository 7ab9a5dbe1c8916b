/// The six orderings of DESIGN §1, cycled with one key.
public enum QueueOrder: String, CaseIterable, Sendable {
    /// Oldest first.
    case fifo
    /// Nearest SLA deadline first; paused clocks after running ones.
    case sla
    /// Highest priority, then oldest.
    case priority
    /// Most valuable customer (VIP, paying) first, then nearest deadline.
    case value
    /// Shortest conversation and smallest ask first: quick wins.
    case easiest
    /// Longest waiting since the customer's last unanswered message.
    case waiting

    public var next: QueueOrder {
        let all = QueueOrder.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    public var label: String {
        switch self {
        case .fifo: "oldest first"
        case .sla: "SLA urgency"
        case .priority: "priority"
        case .value: "customer value"
        case .easiest: "easiest first"
        case .waiting: "waiting longest"
        }
    }

    /// Sort keys computed once per ticket, then compared; keeps sorting 100,000 tickets cheap.
    public func key(_ t: Ticket, _ ctx: ViewContext) -> (Int64, Int64, Int64) {
        switch self {
        case .fifo: return (t.createdAt.ms, 0, 0)
        case .sla: return (ctx.slaBook.plan(t).sortKey, t.createdAt.ms, 0)
        case .priority: return (-Int64(t.priority.rawValue), t.createdAt.ms, 0)
        case .value: return (-Int64(ctx.rules.customerValue(t.customer)), ctx.slaBook.plan(t).sortKey, t.createdAt.ms)
        case .easiest: return (Int64(t.messageCount), Int64(t.customerChars), t.createdAt.ms)
        case .waiting: return (t.waitingSince?.ms ?? Int64.max, t.createdAt.ms, 0)
        }
    }
}

public enum QueueView {
    /// The queue: tickets matching the filter, in the order. Without `all` and unless the filter
    /// names statuses, only unresolved tickets (the working queue).
    public static func tickets(_ state: DeskState, filter: TicketFilter, order: QueueOrder, all: Bool = false,
                               context ctx: ViewContext) -> [Ticket] {
        let working = !all && !filter.namesStatus
        var rows: [((Int64, Int64, Int64), Ticket)] = []
        rows.reserveCapacity(state.tickets.count)
        for t in state.tickets.values {
            if working && !ctx.status(t).isUnresolved { continue }
            if !filter.matches(t, in: ctx) { continue }
            rows.append((order.key(t, ctx), t))
        }
        rows.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1.id < b.1.id }
        return rows.map(\.1)
    }
}
