/// Where the queue was heading: the same waiting and backlog definitions as `DeskMetrics`, taken at
/// earlier moments from each ticket's history (`Ticket.status(asOf:)`), so a board that has just
/// started already shows a trend.
public struct DeskTrend: Hashable, Sendable {
    /// Tickets waiting per channel one `arrowSpan` before now: the trend arrows compare with these.
    public var waitingBefore: [Channel: Int]
    public var backlogBefore: Int
    /// Backlog at evenly spaced moments ending at now, oldest first.
    public var backlogHours: [Int]
    public var backlogDays: [Int]

    public static let arrowSpan: Millis = .minutes(1)
    /// 8 hours in 15-minute steps, and 7 days in 4-hour steps (both include now).
    public static let hourSeries = (count: 33, step: Millis.minutes(15))
    public static let daySeries = (count: 43, step: Millis.hours(4))

    /// Waiting per channel and backlog as they stood at `t`.
    public static func counts(_ state: DeskState, at t: Instant, autoCloseAfter: Millis,
                              scope: MetricsScope) -> (waiting: [Channel: Int], backlog: Int) {
        var waiting: [Channel: Int] = [:]
        for c in scope.channels { waiting[c] = 0 }
        var backlog = 0
        for ticket in state.all where scope.admits(ticket) {
            guard let s = ticket.status(asOf: t, autoCloseAfter: autoCloseAfter), s.isUnresolved else { continue }
            backlog += 1
            if s.isWaitingForDesk { waiting[ticket.channel, default: 0] += 1 }
        }
        return (waiting, backlog)
    }

    /// The backlog at each of `moments` in one pass over the tickets.
    public static func backlogSeries(_ state: DeskState, at moments: [Instant], autoCloseAfter: Millis,
                                     scope: MetricsScope) -> [Int] {
        var out = [Int](repeating: 0, count: moments.count)
        guard let earliest = moments.min() else { return out }
        var throughout = 0
        for ticket in state.all where scope.admits(ticket) {
            // Untouched since before the series began (most of a year's tickets): waking up and
            // auto-closing never cross between unresolved and resolved, so one reading holds for
            // every moment.
            if ticket.updatedAt <= earliest {
                if ticket.status(asOf: earliest, autoCloseAfter: autoCloseAfter)?.isUnresolved == true { throughout += 1 }
                continue
            }
            for (i, m) in moments.enumerated() where ticket.status(asOf: m, autoCloseAfter: autoCloseAfter)?.isUnresolved == true {
                out[i] += 1
            }
        }
        return out.map { $0 + throughout }
    }

    public static func moments(endingAt now: Instant, count: Int, step: Millis) -> [Instant] {
        (0..<count).map { now - step * Millis(count - 1 - $0) }
    }

    public static func compute(_ state: DeskState, now: Instant, autoCloseAfter: Millis, scope: MetricsScope) -> DeskTrend {
        let before = counts(state, at: now - arrowSpan, autoCloseAfter: autoCloseAfter, scope: scope)
        let h = moments(endingAt: now, count: hourSeries.count, step: hourSeries.step)
        let d = moments(endingAt: now, count: daySeries.count, step: daySeries.step)
        let series = backlogSeries(state, at: h + d, autoCloseAfter: autoCloseAfter, scope: scope)
        return DeskTrend(waitingBefore: before.waiting, backlogBefore: before.backlog,
                         backlogHours: Array(series.prefix(h.count)), backlogDays: Array(series.suffix(d.count)))
    }
}

/// Which way a figure moved.
public enum TrendDirection: Sendable, Hashable {
    case up, down, flat
    public init(from old: Int, to new: Int) { self = new > old ? .up : new < old ? .down : .flat }
}
