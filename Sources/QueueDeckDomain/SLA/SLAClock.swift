/// Everything about a ticket's SLA that does not depend on `now`, computed once per ticket version:
/// the instants at which it becomes at risk and breached (or how much is left while paused).
/// Reading the state at any `now` is then a comparison.
public struct SLAPlan: Hashable, Sendable {
    struct Clock: Hashable {
        var target: String
        /// When the clock resumes (or resumed); nil while paused indefinitely (answered).
        var resumesAt: Instant?
        var atRiskAt: Instant
        var dueAt: Instant
        var remaining: Millis
    }
    var clocks: [Clock]
    var stopped: Bool

    public func status(at now: Instant) -> SLAStatus {
        if stopped || clocks.isEmpty { return SLAStatus(state: .none) }
        let nearest = clocks.min { $0.dueAt < $1.dueAt }!
        let pausedNow = clocks.allSatisfy { c in c.resumesAt.map { $0 > now } ?? true }
        if pausedNow {
            let least = clocks.min { $0.remaining < $1.remaining }!
            return SLAStatus(state: least.remaining <= 0 ? .breached : .paused, dueAt: nil, remaining: least.remaining, target: least.target)
        }
        let state: SLAState = now >= nearest.dueAt ? .breached : now >= nearest.atRiskAt ? .atRisk : .ok
        return SLAStatus(state: state, dueAt: nearest.dueAt, remaining: nil, target: nearest.target)
    }

    /// The next moment after `now` at which the state may change by itself (a clock resumes, turns
    /// at risk, falls due); nil when only an event can change it.
    func nextChange(after now: Instant) -> Instant? {
        guard !stopped else { return nil }
        var next: Instant?
        for c in clocks {
            for t in [c.resumesAt, c.atRiskAt, c.dueAt].compactMap({ $0 }) where t > now && t < .distantFuture {
                if next.map({ t < $0 }) ?? true { next = t }
            }
        }
        return next
    }

    /// The SLA ordering key at `now`: the nearest deadline of the clocks running now; tickets whose
    /// clocks are all paused now (answered, postponed, before a clock resumes) sort after every
    /// running one, least time left first. The same "paused now" as `status(at:)`.
    public func sortKey(at now: Instant) -> Int64 {
        if stopped || clocks.isEmpty { return Int64.max }
        let running = clocks.filter { c in c.resumesAt.map { $0 <= now } ?? false }
        if let d = running.map(\.dueAt).min() { return d.ms }
        return Int64.max / 2 + (clocks.map(\.remaining).min() ?? 0)
    }
}

public enum SLAClock {
    /// Builds the plan of a ticket under a policy and calendar.
    public static func plan(for t: Ticket, policy: SLAPolicy, calendar cal: BusinessCalendar) -> SLAPlan {
        guard t.storedStatus != .resolved && t.storedStatus != .closed else {
            return SLAPlan(clocks: [], stopped: true)
        }
        let targets = policy.targets(for: t)
        // The periods in which the clock ran, closed ones; plus where it runs (or will run) open-ended.
        var closed: [(Instant, Instant)] = []
        var openFrom: Instant? = nil
        for r in t.runLog {
            if let e = r.end { closed.append((r.start, e)) } else { openFrom = r.start }
        }
        if t.storedStatus == .postponed, let until = t.postponedUntil { openFrom = until }

        func clock(_ name: String, target: Millis, from: Instant) -> SLAPlan.Clock {
            var used: Millis = 0
            for (s, e) in closed where e > from { used += cal.businessMillis(from: max(s, from), to: e) }
            let remaining = target - used
            let threshold = Millis(Double(target) * policy.atRiskFraction)
            guard let start = openFrom.map({ max($0, from) }) else {
                return .init(target: name, resumesAt: nil, atRiskAt: .distantFuture, dueAt: .distantFuture, remaining: remaining)
            }
            let due = cal.advance(from: start, by: remaining)
            let risk = remaining - threshold <= 0 ? start : cal.advance(from: start, by: remaining - threshold)
            return .init(target: name, resumesAt: start, atRiskAt: risk, dueAt: due, remaining: remaining)
        }

        var clocks: [SLAPlan.Clock] = []
        if let since = t.waitingSince {
            let first = !t.everAnswered
            if let target = first ? targets.firstResponse : targets.nextResponse {
                clocks.append(clock(first ? "first-response" : "next-response", target: target, from: since))
            }
        }
        if let target = targets.resolution { clocks.append(clock("resolution", target: target, from: t.createdAt)) }
        return SLAPlan(clocks: clocks, stopped: false)
    }

    /// Business time the customer waited in a response window (only while the clock ran).
    public static func businessWait(_ w: ResponseWindow, in t: Ticket, calendar cal: BusinessCalendar) -> Millis {
        var total: Millis = 0
        for r in t.runLog {
            let s = max(r.start, w.from)
            let e = min(r.end ?? w.to, w.to)
            if e > s { total += cal.businessMillis(from: s, to: e) }
        }
        return total
    }

    /// Business time from creation to resolution, counting only running periods.
    public static func businessTimeToResolve(_ t: Ticket, calendar cal: BusinessCalendar) -> Millis? {
        guard let resolved = t.resolvedAt else { return nil }
        var total: Millis = 0
        for r in t.runLog {
            let e = min(r.end ?? resolved, resolved)
            if e > r.start { total += cal.businessMillis(from: r.start, to: e) }
        }
        return total
    }
}

/// Caches SLA plans per ticket version, so a queue of 100,000 tickets reads its SLA states with one
/// comparison each. Not thread-safe: one per view.
public final class SLABook: @unchecked Sendable {
    public let rules: DeskRules
    /// By ticket slot: an array, not a dictionary, so a pass over every ticket hashes nothing.
    private var plans: [(id: TicketID, version: UInt32, plan: SLAPlan)?] = []

    public init(rules: DeskRules) { self.rules = rules }

    public func plan(_ t: Ticket) -> SLAPlan {
        let slot = t.slot
        if slot < plans.count, let c = plans[slot], c.version == t.version, c.id == t.id { return c.plan }
        let p = SLAClock.plan(for: t, policy: rules.sla, calendar: rules.calendar)
        if slot >= plans.count { plans.append(contentsOf: repeatElement(nil, count: slot - plans.count + 1)) }
        plans[slot] = (t.id, t.version, p)
        return p
    }

    public func status(_ t: Ticket, at now: Instant) -> SLAStatus { plan(t).status(at: now) }
}
