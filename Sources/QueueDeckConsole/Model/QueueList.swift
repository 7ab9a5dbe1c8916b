import QueueDeckDomain

/// The ticket list of the current queue, filter and order, kept up to date incrementally. Each row
/// keeps its sort fields contiguously, so a new order re-sorts without touching the tickets, and a
/// live event moves only the tickets it touched (remove, then binary-search insert): a queue of
/// 100,000 tickets stays within a frame.
public struct QueueList {
    private var rows: [SortFields] = []
    public private(set) var ids: [TicketID] = []
    public var channel: Channel?
    public var filter: TicketFilter = .empty
    public private(set) var order: QueueOrder = .sla

    public init() {}

    func admits(_ t: Ticket, _ ctx: ViewContext) -> Bool {
        QueueView.admits(t, channel: channel, filter: filter, context: ctx)
    }

    private func before(_ a: SortFields, _ b: SortFields) -> Bool {
        let ka = order.key(a), kb = order.key(b)
        return ka != kb ? ka < kb : a.id < b.id
    }

    /// Rebuilds from scratch (filter or queue changed; or time moved tickets between states).
    public mutating func rebuild(_ state: DeskState, _ ctx: ViewContext) {
        rows.removeAll(keepingCapacity: true)
        for t in state.all where admits(t, ctx) { rows.append(SortFields(t, ctx)) }
        sortRows()
    }

    /// A new order over the same tickets.
    public mutating func reorder(_ o: QueueOrder) {
        order = o
        sortRows()
    }

    private mutating func sortRows() {
        let o = order
        rows.sort { a, b in
            let ka = o.key(a), kb = o.key(b)
            return ka != kb ? ka < kb : a.id < b.id
        }
        ids = rows.map(\.id)
    }

    /// Narrows the list by a stricter filter without touching tickets it already excluded.
    public mutating func narrow(to stricter: TicketFilter, _ state: DeskState, _ ctx: ViewContext) {
        filter = stricter
        rows = rows.filter { state[$0.id].map { admits($0, ctx) } ?? false }
        ids = rows.map(\.id)
    }

    /// Puts back a list computed earlier for this filter (same state, same order and queue).
    public mutating func restore(filter f: TicketFilter, rows saved: [SortFields]) {
        filter = f
        rows = saved
        ids = saved.map(\.id)
    }

    public var savedRows: [SortFields] { rows }

    /// Moves the changed tickets to where they now belong.
    public mutating func update(_ changed: Set<TicketID>, _ state: DeskState, _ ctx: ViewContext) {
        if changed.count > 64 { rebuild(state, ctx); return }
        for id in changed {
            if let i = ids.firstIndex(of: id) {
                ids.remove(at: i)
                rows.remove(at: i)
            }
            guard let t = state[id], admits(t, ctx) else { continue }
            let f = SortFields(t, ctx)
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(rows[mid], f) { lo = mid + 1 } else { hi = mid }
            }
            rows.insert(f, at: lo)
            ids.insert(id, at: lo)
        }
    }
}
