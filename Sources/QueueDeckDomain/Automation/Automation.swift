/// Rules at work (README: Automation). Pure: the caller passes the desk, the rules and the time,
/// and appends what comes back. Event rules extend the batch that triggers them (`follow`), so no
/// process ever sees a new ticket unrouted; time rules and waiting work are `sweep`'s, run by
/// `qdeck automate`. Replay never calls either: it folds the events they made.
public enum Automation {
    static let actorPrefix = "rules ("

    /// The actor of a rule's events: `rules (name)`.
    public static func actor(_ rule: String) -> String { "rules (\(rule))" }
    /// Work handed out to agents by a department's distribution.
    public static let distributionActor = actor("distribution")

    /// Whether an event was made by a rule: such events trigger no rules.
    public static func isRules(_ actor: String) -> Bool { actor.utf8.starts(with: actorPrefix.utf8) }

    /// Where a batch comes from: live work, or history brought in (an import), which is routed
    /// like live work but never answered.
    public enum Source: Sendable { case live, backfill }

    /// The batch with what the event rules (and distribution of new tickets) add to it, in the
    /// same append. Events made by rules trigger nothing.
    public static func follow(_ d: Decision, state: DeskState, rules: DeskRules, now: Instant, source: Source = .live) -> Decision {
        let settings = rules.automation
        guard !settings.isEmpty, !d.events.isEmpty else { return d }
        var order: [TicketID] = []
        var triggers: [TicketID: Set<Rule.Trigger>] = [:]
        for e in d.events where e.ticket != .desk && !isRules(e.actor) {
            if triggers[e.ticket] == nil { order.append(e.ticket); triggers[e.ticket] = [] }
            switch e.kind {
            case .created: triggers[e.ticket]?.insert(.created)
            case .customerMessage: triggers[e.ticket]?.insert(.customerMessage)
            case .agentReply: triggers[e.ticket]?.insert(.agentReply)
            case .note, .reassigned, .postponed, .resolved, .reopened, .priorityChanged, .tagged, .claimed, .abandoned, .presence,
                 .intake, .delivery, .selfService, .attached, .ccChanged, .contactEdited, .customerUpdated, .automation, .unknown:
                break
            }
        }
        guard !order.isEmpty else { return d }
        var work = Workbench(state: state, touching: order, rules: rules, now: now, source: source)
        work.stage(d.events)
        for id in order {
            guard let after = work.scratch[id] else { continue }
            if let before = state[id], before.status(at: now, autoCloseAfter: rules.autoCloseAfter) != after.status(at: now, autoCloseAfter: rules.autoCloseAfter) {
                triggers[id]?.insert(.statusChange)
            }
            let fired = triggers[id] ?? []
            for rule in settings.rules where rule.on != .time && fired.contains(rule.on) {
                guard let t = work.scratch[id], rule.condition.matches(t, in: work.view) else { continue }
                work.act(rule, on: id)
                if rule.stop { break }
            }
            if fired.contains(.created) { work.distributeIfWaiting(id) }
            work.rearmLeft(id)
        }
        return Decision(events: d.events + work.made, expectedVersions: d.expectedVersions)
    }

    /// Time rules over the desk at `now`, and waiting work handed to agents who can take it: the
    /// events to append, each ticket expected at the version read. A time rule acts on a ticket
    /// once each time the ticket enters its match (`AutomationMark.matched`); seen out of it, it is
    /// re-armed. Closed tickets are left alone.
    ///
    /// With `memory` (a runner's, kept between sweeps) a ticket is looked at again only when it
    /// changed or when a time rule's verdict on it may have changed since (`TicketFilter.nextChange`):
    /// a sweep with nothing changed looks at no ticket. Tickets waiting for distribution are looked
    /// at every time (someone may have become available).
    public static func sweep(_ state: DeskState, rules: DeskRules, now: Instant, view: ViewContext? = nil, memory: SweepMemory? = nil) -> Decision {
        let timeRules = rules.automation.timeRules
        let distributing = !rules.automation.distribution.isEmpty
        guard !timeRules.isEmpty || distributing else { return Decision(events: [], expectedVersions: [:]) }
        let ctx = view ?? ViewContext(now: now, me: "", rules: rules)
        // Empty until a ticket is acted on: tickets come into it one by one.
        var work = Workbench(state: state, touching: [], rules: rules, now: now, source: .live, view: ctx)
        var expected: [TicketID: UInt32] = [:]
        memory?.looked = 0
        for t in state.all {
            if let memory, !memory.due(t, at: now) { continue }
            memory?.looked += 1
            let status = t.status(at: now, autoCloseAfter: rules.autoCloseAfter)
            guard status != .closed else {
                memory?.remember(t, until: .distantFuture)
                continue
            }
            var current = t
            for rule in timeRules {
                let matches = rule.condition.matches(current, in: ctx)
                let marked = current.rulesMatched.contains(rule.name)
                if matches && !marked {
                    work.take(current)
                    let before = work.made.count
                    work.act(rule, on: t.id, mark: true)
                    if work.made.count > before { expected[t.id] = t.version }
                    current = work.scratch[t.id] ?? current
                } else if !matches && marked {
                    work.take(current)
                    expected[t.id] = t.version
                    work.emit([Event(ticket: t.id, at: now, actor: rule.actor, kind: .automation(rule: rule.name, .rearmed))])
                    current = work.scratch[t.id] ?? current
                }
                if matches && rule.stop { break }
            }
            var waitsForSomeone = false
            if distributing, current.assignee == nil, current.status(at: now, autoCloseAfter: rules.autoCloseAfter).isWaitingForDesk,
               rules.automation.distribution(for: current.department) != nil {
                work.take(current)
                if work.distributeIfWaiting(t.id) { expected[t.id] = t.version } else { waitsForSomeone = true }
            }
            // Acted on (its version moves on) or waiting for an agent: looked at next time too.
            if let memory, expected[t.id] == nil, !waitsForSomeone {
                let next = timeRules.compactMap { $0.condition.nextChange(for: t, ctx) }.min()
                let wakes = distributing ? t.statusChange(after: now, autoCloseAfter: rules.autoCloseAfter) : nil
                memory.remember(t, until: [next, wakes].compactMap { $0 }.min() ?? .distantFuture)
            }
        }
        return Decision(events: work.made, expectedVersions: expected)
    }

    /// The tag intake gives a list's or bulk sender's mail: no automatic reply answers it.
    public static let bulkTag = "bulk"

    /// Addresses that are machines, never people: no automatic reply goes to them.
    public static func isAutomaticAddress(_ address: String) -> Bool {
        let local = address.lowercased().split(separator: "@").first.map(String.init) ?? ""
        let plain = local.filter { $0 != "-" && $0 != "_" && $0 != "." }
        return ["noreply", "donotreply", "mailerdaemon", "postmaster", "bounce", "bounces", "autoreply", "daemon"].contains(plain)
            || plain.hasPrefix("noreply") || plain.hasPrefix("donotreply") || plain.hasPrefix("bounce")
    }
}

extension Decision {
    /// The decision cut between tickets into appends of about `size` events (a ticket's events
    /// are never split), each expecting its own tickets' versions: a sweep acting on thousands of
    /// tickets does not hold the journal for one long append.
    public func batches(of size: Int) -> [Decision] {
        var out: [Decision] = []
        var current = Decision(events: [], expectedVersions: [:])
        for (i, e) in events.enumerated() {
            if (i == 0 || events[i - 1].ticket != e.ticket) && current.events.count >= size {
                out.append(current)
                current = Decision(events: [], expectedVersions: [:])
            }
            current.events.append(e)
            if let v = expectedVersions[e.ticket] { current.expectedVersions[e.ticket] = v }
        }
        if !current.events.isEmpty { out.append(current) }
        return out
    }
}
