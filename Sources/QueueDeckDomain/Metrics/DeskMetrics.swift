/// Count, median and mean of a set of durations.
public struct DurationFigure: Hashable, Sendable {
    public var count: Int
    public var medianSeconds: Double?
    public var meanSeconds: Double?

    init(_ samples: [Millis]) {
        count = samples.count
        guard !samples.isEmpty else { return }
        let s = samples.sorted()
        let mid = s.count / 2
        medianSeconds = Double(s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2) / 1000
        meanSeconds = Double(s.reduce(0, +)) / Double(s.count) / 1000
    }
}

/// SLA targets met out of those counted; see `DeskMetrics` for what is counted.
public struct Compliance: Hashable, Sendable {
    public var met: Int = 0
    public var total: Int = 0
    /// Percent met, nil when nothing was counted.
    public var percent: Double? { total == 0 ? nil : Double(met) * 100 / Double(total) }
    mutating func count(_ ok: Bool) {
        total += 1
        if ok { met += 1 }
    }
}

public struct ChannelFigures: Hashable, Sendable {
    /// Tickets the customer is waiting on us for: status new or open.
    public var waiting = 0
    /// How long the longest-waiting of those has waited (since `waitingSince`), in seconds.
    public var oldestWaitingSeconds: Double?
    /// Unresolved tickets: new, open, answered, postponed.
    public var unresolved = 0
    public var atRisk = 0
    public var breached = 0
    /// Customers who left while waiting (abandoned calls and chats) in the period.
    public var abandoned = 0
    public var slaCompliance = Compliance()
    public init() {}
}

public struct AgentLoad: Hashable, Sendable {
    public var agent: String
    public var availability: Availability = .offline
    /// Unresolved tickets assigned to the agent.
    public var assigned = 0
    /// Of those, the ones waiting for the desk (new or open).
    public var waiting = 0
    /// Tickets the agent resolved in the period.
    public var resolved = 0
    /// Replies the agent sent in the period.
    public var replies = 0
}

public struct AgeBucket: Hashable, Sendable {
    public var label: String
    public var upTo: Millis?
    public var count: Int
}

/// The desk's figures at one moment. Every figure is defined here once; the CLI, the console
/// header and the wall all read them from this type.
///
/// - backlog: unresolved tickets (new, open, answered, postponed) at `now`, with age buckets by creation;
///   `created` and `resolved` count tickets created and resolved in the period.
/// - waiting: status new or open at `now` (postponed tickets whose time has come count again).
/// - oldest waiting: the longest time since `waitingSince` among the waiting.
/// - at risk / breached: unresolved tickets whose SLA clock is in that state at `now`.
/// - abandoned: customers who left while waiting, in the period.
/// - agents: see `Availability`; load counts unresolved tickets in scope assigned to the agent.
/// - first response time: creation to first agent reply, for first replies sent in the period (wall time).
/// - resolution time: creation to resolution, for tickets resolved in the period (wall time).
/// - SLA compliance: of the SLA targets that completed in the period (responses sent, tickets
///   resolved), those within their target in business time; plus every unresolved ticket whose clock
///   is breached now, counted as missed.
public struct DeskMetrics: Sendable {
    public var now: Instant
    public var periodStart: Instant
    public var channels: [Channel: ChannelFigures]
    public var scope: MetricsScope
    public var backlog: Int
    public var createdInPeriod: Int
    public var resolvedInPeriod: Int
    public var ageBuckets: [AgeBucket]
    public var firstResponse: DurationFigure
    public var resolution: DurationFigure
    public var slaCompliance: Compliance
    public var agents: [AgentLoad]
    public var deflection: Deflection

    static let bucketLimits: [(String, Millis?)] = [
        ("<1h", .hours(1)), ("1-4h", .hours(4)), ("4-24h", .hours(24)), ("1-3d", .days(3)), ("3-7d", .days(7)), (">7d", nil),
    ]

    public static func compute(_ state: DeskState, context ctx: ViewContext, since periodStart: Instant,
                               scope: MetricsScope = .all) -> DeskMetrics {
        let now = ctx.now
        let rules = ctx.rules
        // By channel ordinal: a dictionary copy-out and write-back per ticket showed in profiles.
        var figuresByChannel = [ChannelFigures](repeating: ChannelFigures(), count: Channel.allCases.count)
        var buckets = bucketLimits.map { AgeBucket(label: $0.0, upTo: $0.1, count: 0) }
        var backlog = 0, created = 0, resolved = 0
        var firstResponses: [Millis] = []
        var resolutions: [Millis] = []
        var compliance = Compliance()
        var agents: [String: AgentLoad] = [:]
        for a in scope.agents(rules) { agents[a.user] = AgentLoad(agent: a.user) }
        var active: Set<String> = []
        var live: Set<String> = []
        let recent = now - Availability.activeWindow
        let inPeriod = { (t: Instant) in t >= periodStart && t <= now }

        var ticketUsers: [[String]] = []
        for t in state.all {
            if t.updatedAt >= recent { active.formUnion(t.actors(since: recent)) }
            // Desk-wide, whatever the scope: self-service belongs to no department or channel.
            if inPeriod(t.createdAt) { ticketUsers.append(Deflection.identities(of: t.customer)) }
            guard scope.admits(t) else { continue }
            let slot = t.channel.ordinal
            if inPeriod(t.createdAt) { created += 1 }
            figuresByChannel[slot].abandoned += t.abandonments.reduce(0) { $0 + (inPeriod($1) ? 1 : 0) }
            let status = ctx.status(t)
            // Most tickets completed no target in the period: the rule match is made only when needed.
            var matched: SLATargets?
            let targets = { () -> SLATargets in
                if let m = matched { return m }
                let m = rules.sla.targets(for: t)
                matched = m
                return m
            }

            // Completed SLA targets in the period.
            for w in t.responses where inPeriod(w.to) {
                if let target = w.first ? targets().firstResponse : targets().nextResponse {
                    let ok = SLAClock.businessWait(w, in: t, calendar: rules.calendar) <= target
                    compliance.count(ok)
                    figuresByChannel[slot].slaCompliance.count(ok)
                }
            }
            if let r = t.resolvedAt, inPeriod(r) {
                resolved += 1
                resolutions.append(r - t.createdAt)
                if let target = targets().resolution, let used = SLAClock.businessTimeToResolve(t, calendar: rules.calendar) {
                    compliance.count(used <= target)
                    figuresByChannel[slot].slaCompliance.count(used <= target)
                }
                // Rules are not people: their replies and resolutions are nobody's work in the figures.
                if let who = resolver(of: t), !Automation.isRules(who) { agents[who, default: AgentLoad(agent: who)].resolved += 1 }
            }
            if let f = t.firstResponseAt, inPeriod(f) { firstResponses.append(f - t.createdAt) }
            for e in t.entries where e.kind == .reply && inPeriod(e.at) && !Automation.isRules(e.author) {
                agents[e.author, default: AgentLoad(agent: e.author)].replies += 1
            }

            if status.isUnresolved {
                backlog += 1
                figuresByChannel[slot].unresolved += 1
                let age = now - t.createdAt
                if let i = buckets.firstIndex(where: { $0.upTo.map { age < $0 } ?? true }) { buckets[i].count += 1 }
                let sla = ctx.sla(t).state
                if sla == .atRisk { figuresByChannel[slot].atRisk += 1 }
                if sla == .breached {
                    figuresByChannel[slot].breached += 1
                    compliance.count(false)
                    figuresByChannel[slot].slaCompliance.count(false)
                }
                if status.isWaitingForDesk {
                    figuresByChannel[slot].waiting += 1
                    if let since = t.waitingSince {
                        let waited = Double(now - since) / 1000
                        figuresByChannel[slot].oldestWaitingSeconds = max(figuresByChannel[slot].oldestWaitingSeconds ?? 0, waited)
                    }
                }
                if let a = t.assignee {
                    agents[a, default: AgentLoad(agent: a)].assigned += 1
                    if status.isWaitingForDesk { agents[a]!.waiting += 1 }
                    if t.channel != .email && t.updatedAt >= recent { live.insert(a) }
                }
            }
        }
        var channels: [Channel: ChannelFigures] = [:]
        for c in scope.channels { channels[c] = figuresByChannel[c.ordinal] }
        for (user, var load) in agents {
            load.availability = .of(presence: state.presence[user], active: active.contains(user), live: live.contains(user))
            agents[user] = load
        }
        return DeskMetrics(now: now, periodStart: periodStart, channels: channels, scope: scope, backlog: backlog,
                           createdInPeriod: created, resolvedInPeriod: resolved, ageBuckets: buckets,
                           firstResponse: DurationFigure(firstResponses), resolution: DurationFigure(resolutions),
                           slaCompliance: compliance, agents: agents.values.sorted { $0.agent < $1.agent },
                           deflection: Deflection(state.selfService, ticketUsers: ticketUsers, in: periodStart...max(periodStart, now)) { key in
                               Customer.phoneNumber(String(key.dropFirst(4))).flatMap { state.latestTicketByPhone[$0] }
                                   .flatMap { state[$0]?.customer.email?.lowercased() }
                           })
    }

    /// How many agents in scope are in each state.
    public func agentCount(_ a: Availability) -> Int { agents.reduce(0) { $0 + ($1.availability == a ? 1 : 0) } }

    /// Who resolved the ticket: the actor of its last change to resolved.
    static func resolver(of t: Ticket) -> String? {
        t.history.last { if case .status(_, .resolved, _) = $0.change { true } else { false } }?.actor
    }
}
