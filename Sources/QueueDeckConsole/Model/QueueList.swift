import QueueDeckDomain

/// The ticket list of the current queue, filter and order, kept up to date incrementally: a live
/// event moves only the tickets it touched (remove, then binary-search insert), so a queue of
/// 100,000 tickets stays within a frame.
public struct QueueList {
    public private(set) var ids: [TicketID] = []
    public var channel: Channel?
    public var filter: TicketFilter = .empty
    public var order: QueueOrder = .sla
    public var all = false

    public init() {}

    func admits(_ t: Ticket, _ ctx: ViewContext) -> Bool {
        if let channel, t.channel != channel { return false }
        if !all && !filter.namesStatus && !ctx.status(t).isUnresolved { return false }
        return filter.matches(t, in: ctx)
    }

    func precedes(_ a: Ticket, _ b: Ticket, _ ctx: ViewContext) -> Bool {
        let ka = order.key(a, ctx), kb = order.key(b, ctx)
        return ka != kb ? ka < kb : a.id < b.id
    }

    /// Rebuilds from scratch (filter, order or queue changed; or time moved tickets between states).
    public mutating func rebuild(_ state: DeskState, _ ctx: ViewContext) {
        var rows: [((Int64, Int64, Int64), TicketID)] = []
        rows.reserveCapacity(state.tickets.count)
        for t in state.tickets.values where admits(t, ctx) { rows.append((order.key(t, ctx), t.id)) }
        rows.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        ids = rows.map(\.1)
    }

    /// Narrows the list by a stricter filter without touching tickets it already excluded.
    public mutating func narrow(to stricter: TicketFilter, _ state: DeskState, _ ctx: ViewContext) {
        filter = stricter
        ids = ids.filter { state[$0].map { admits($0, ctx) } ?? false }
    }

    /// Moves the changed tickets to where they now belong.
    public mutating func update(_ changed: Set<TicketID>, _ state: DeskState, _ ctx: ViewContext) {
        if changed.count > 2_000 { rebuild(state, ctx); return }
        if !changed.isEmpty { ids.removeAll { changed.contains($0) } }
        for id in changed {
            guard let t = state[id], admits(t, ctx) else { continue }
            var lo = 0, hi = ids.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if precedes(state[ids[mid]]!, t, ctx) { lo = mid + 1 } else { hi = mid }
            }
            ids.insert(id, at: lo)
        }
    }
}
