import QueueDeckDomain

public enum WallLayout: String, CaseIterable, Sendable {
    case overview, channels, agents, backlog
}

/// What the board shows: the live desk, the desk as it stood at one moment, or a past stretch
/// played back faster than real time.
public enum WallMode: Equatable, Sendable {
    case live
    case at(Instant)
    case replay(speed: Double)
}

/// The wall's state: the folded desk and the figures drawn from it. No curses and no clock of its
/// own: the app passes events and time in, so tests drive it directly.
public final class WallBoard {
    public let rules: DeskRules
    public let scope: MetricsScope
    public let mode: WallMode
    public let keyMap: KeyMap<WallAction>
    public private(set) var state: DeskState
    public private(set) var now: Instant
    public private(set) var metrics: DeskMetrics
    public private(set) var trend: DeskTrend
    public private(set) var paused = false
    public var layout: WallLayout = .overview
    public var showHelp = false
    /// Set when the journal cannot be read; the board keeps its last figures and says so.
    public var journalHealth = JournalHealth.live
    /// Replay: events still to play, in journal order.
    private var pending: [StoredEvent]
    private var next = 0
    private let context: ViewContext
    private var seriesAt: Instant

    public init(rules: DeskRules, scope: MetricsScope, state: DeskState, now: Instant, mode: WallMode,
                pending: [StoredEvent] = [], keyMap: KeyMap<WallAction> = .wall) {
        self.rules = rules
        self.scope = scope
        self.state = state
        self.now = now
        self.mode = mode
        self.pending = pending
        self.keyMap = keyMap
        context = ViewContext(now: now, me: "wall", rules: rules)
        metrics = DeskMetrics.compute(state, context: context, since: rules.calendar.startOfDay(now), scope: scope)
        trend = DeskTrend.compute(state, now: now, autoCloseAfter: rules.autoCloseAfter, scope: scope)
        seriesAt = now
    }

    /// Whether replay has played every event.
    public var replayFinished: Bool { next >= pending.count }

    /// Folds in events read from the journal (live mode).
    public func absorb(_ events: [StoredEvent]) {
        state.apply(events)
    }

    /// Replay: plays the events up to `t`.
    public func play(until t: Instant) {
        let start = next
        while next < pending.count, pending[next].event.at <= t { next += 1 }
        if next > start { state.apply(pending[start..<next]) }
        if replayFinished { pending = [] ; next = 0 }
    }

    /// Recomputes the figures for `t`. The backlog series (one pass per point) is redone once a
    /// minute of board time; its last point always follows the live backlog.
    public func refresh(at t: Instant) {
        now = t
        context.now = t
        metrics = DeskMetrics.compute(state, context: context, since: rules.calendar.startOfDay(t), scope: scope)
        if t - seriesAt >= DeskTrend.arrowSpan || t < seriesAt {
            trend = DeskTrend.compute(state, now: t, autoCloseAfter: rules.autoCloseAfter, scope: scope)
            seriesAt = t
        } else {
            let before = DeskTrend.counts(state, at: t - DeskTrend.arrowSpan, autoCloseAfter: rules.autoCloseAfter, scope: scope)
            trend.waitingBefore = before.waiting
            trend.backlogBefore = before.backlog
            if !trend.backlogHours.isEmpty { trend.backlogHours[trend.backlogHours.count - 1] = metrics.backlog }
            if !trend.backlogDays.isEmpty { trend.backlogDays[trend.backlogDays.count - 1] = metrics.backlog }
        }
    }

    public enum Outcome { case none, quit, redraw }

    /// A key press, looked up in the wall's own key table (none of its actions changes a ticket).
    public func handle(_ key: Key) -> Outcome {
        if showHelp { showHelp = false; return .none }
        guard let b = keyMap.binding(for: key) else { return .none }
        switch b.action {
        case .back: return .quit
        case .help: showHelp = true
        case .layout:
            let all = WallLayout.allCases
            layout = all[(all.firstIndex(of: layout)! + 1) % all.count]
        case .pause: paused.toggle()
        case .redraw: return .redraw
        }
        return .none
    }
}
