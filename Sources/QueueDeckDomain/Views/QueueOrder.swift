/// The six orderings (README.md, "Orderings"), cycled with one key.
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

    /// The key of a ticket in this order: the one definition of each ordering.
    public func key(_ f: SortFields) -> (Int64, Int64, Int64) {
        switch self {
        case .fifo: return (f.created, 0, 0)
        case .sla: return (f.deadline, f.created, 0)
        case .priority: return (-Int64(f.priority), f.created, 0)
        case .value: return (-Int64(f.value), f.deadline, f.created)
        case .easiest: return (Int64(f.messages), Int64(f.ask), f.created)
        case .waiting: return (f.waitingSince, f.created, 0)
        }
    }

    public func key(_ t: Ticket, _ ctx: ViewContext) -> (Int64, Int64, Int64) { key(SortFields(t, ctx)) }
}

/// What the orderings compare, read from a ticket once (fixed for a ticket version), compact and
/// free of references: a list keeps these contiguously and re-sorts without touching tickets.
public struct SortFields: Sendable, Equatable {
    public var id: TicketID
    public var created: Int64
    /// The SLA deadline sort key (paused clocks after running ones).
    public var deadline: Int64
    public var priority: Int8
    public var value: Int32
    public var messages: Int32
    public var ask: Int32
    public var waitingSince: Int64

    public init(_ t: Ticket, _ ctx: ViewContext) {
        id = t.id
        created = t.createdAt.ms
        deadline = ctx.slaBook.plan(t).sortKey(at: ctx.now)
        priority = Int8(t.priority.rawValue)
        value = Int32(clamping: ctx.rules.customerValue(t.customer))
        messages = Int32(clamping: t.messageCount)
        ask = Int32(clamping: t.customerChars)
        waitingSince = t.waitingSince?.ms ?? Int64.max
    }
}

public enum QueueView {
    /// Whether a ticket belongs in a queue: its channel (nil: every channel), the filter, and, without
    /// `all` and unless the filter names statuses, only unresolved tickets (the working queue).
    public static func admits(_ t: Ticket, channel: Channel? = nil, filter: TicketFilter, all: Bool = false,
                              context ctx: ViewContext) -> Bool {
        if let channel, t.channel != channel { return false }
        if !all && !filter.namesStatus && !ctx.status(t).isUnresolved { return false }
        return filter.matches(t, in: ctx)
    }

    /// The queue: tickets it admits, in the order.
    public static func tickets(_ state: DeskState, filter: TicketFilter, order: QueueOrder, all: Bool = false,
                               context ctx: ViewContext) -> [Ticket] {
        var rows: [((Int64, Int64, Int64), Ticket)] = []
        rows.reserveCapacity(state.count)
        for t in state.all where admits(t, filter: filter, all: all, context: ctx) {
            rows.append((order.key(t, ctx), t))
        }
        rows.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1.id < b.1.id }
        return rows.map(\.1)
    }
}
