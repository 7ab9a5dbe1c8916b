import QueueDeckDomain

/// The ticket list of the current queue, filter and order, kept up to date incrementally. Each row
/// keeps its sort fields contiguously, so a new order re-sorts without touching the tickets, and a
/// live event moves only the tickets it touched (remove, then binary-search insert): a queue of
/// 100,000 tickets stays within a frame. It also knows which tickets the filter admits in any
/// channel (a flag per ticket slot), so the queue tabs count what their lists show.
public struct QueueList {
    private var rows: [SortFields] = []
    public private(set) var ids: [TicketID] = []
    public var channel: Channel?
    public var filter: TicketFilter = .empty
    public private(set) var order: QueueOrder = .sla
    /// Tickets the filter admits in each channel, whichever queue is shown: the tabs' counts.
    public private(set) var counts: [Channel: Int] = [:]
    /// Admitted in some channel, by ticket slot (the desk's dense creation order).
    private var admitted: [Bool] = []

    /// A computed list, kept to put back when a filter is typed back to an earlier form.
    public struct Saved {
        fileprivate var rows: [SortFields]
        fileprivate var admitted: [Bool]
        fileprivate var counts: [Channel: Int]
    }

    public init() {}

    /// The filter and the working-queue rule, in any channel.
    func admitsAnyChannel(_ t: Ticket, _ ctx: ViewContext) -> Bool {
        QueueView.admits(t, channel: nil, filter: filter, context: ctx)
    }

    /// Whether the ticket is in the list shown.
    public func contains(_ id: TicketID, in state: DeskState) -> Bool {
        guard let t = state[id], t.slot < admitted.count, admitted[t.slot] else { return false }
        return channel == nil || channel == t.channel
    }

    public func index(of id: TicketID, in state: DeskState) -> Int? {
        contains(id, in: state) ? ids.firstIndex(of: id) : nil
    }

    private func before(_ a: SortFields, _ b: SortFields) -> Bool {
        let ka = order.key(a), kb = order.key(b)
        return ka != kb ? ka < kb : a.id < b.id
    }

    /// Rebuilds from scratch (filter or queue changed; or time moved tickets between states).
    public mutating func rebuild(_ state: DeskState, _ ctx: ViewContext) {
        rows.removeAll(keepingCapacity: true)
        admitted = [Bool](repeating: false, count: state.count)
        counts = [:]
        var perChannel: [Int] = [0, 0, 0]
        for t in state.all where admitsAnyChannel(t, ctx) {
            admitted[t.slot] = true
            perChannel[Self.index(t.channel)] += 1
            if channel == nil || channel == t.channel { rows.append(SortFields(t, ctx)) }
        }
        for c in Channel.allCases { counts[c] = perChannel[Self.index(c)] }
        sortRows()
    }

    static func index(_ c: Channel) -> Int {
        switch c {
        case .email: 0
        case .call: 1
        case .chat: 2
        }
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
        for t in state.all where t.slot < admitted.count && admitted[t.slot] && !admitsAnyChannel(t, ctx) {
            admitted[t.slot] = false
            counts[t.channel, default: 1] -= 1
        }
        rows = rows.filter { state[$0.id].map { $0.slot < admitted.count && admitted[$0.slot] } ?? false }
        ids = rows.map(\.id)
    }

    /// Puts back a list computed earlier for this filter (same state, same order and queue).
    public mutating func restore(filter f: TicketFilter, _ saved: Saved) {
        filter = f
        rows = saved.rows
        admitted = saved.admitted
        counts = saved.counts
        ids = saved.rows.map(\.id)
    }

    public var saved: Saved { Saved(rows: rows, admitted: admitted, counts: counts) }

    /// Moves the changed tickets to where they now belong.
    public mutating func update(_ changed: Set<TicketID>, _ state: DeskState, _ ctx: ViewContext) {
        if changed.count > 64 { rebuild(state, ctx); return }
        if admitted.count < state.count { admitted += [Bool](repeating: false, count: state.count - admitted.count) }
        for id in changed {
            guard let t = state[id] else { continue }
            if admitted[t.slot] {
                admitted[t.slot] = false
                counts[t.channel, default: 1] -= 1
                if channel == nil || channel == t.channel, let i = ids.firstIndex(of: id) {
                    ids.remove(at: i)
                    rows.remove(at: i)
                }
            }
            guard admitsAnyChannel(t, ctx) else { continue }
            admitted[t.slot] = true
            counts[t.channel, default: 0] += 1
            guard channel == nil || channel == t.channel else { continue }
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
