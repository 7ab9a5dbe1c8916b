/// What the rules would do now, writing nothing (`qdeck rules test`).
public struct RulePreview: Sendable {
    public struct Action: Sendable {
        public var ticket: TicketID
        public var subject: String
        /// The events the rule would append, and the same in words.
        public var events: [Event]
        public var words: [String]
    }
    /// The rule's name, or `distribution` for waiting work handed out.
    public var rule: String
    public var on: Rule.Trigger?
    public var condition: String
    public var actions: [Action]
    /// Why waiting work was not handed out (distribution only): per department, who could not take it.
    public var notes: [String] = []
}

extension Automation {
    /// For each rule, the tickets it would act on at `now` and the events it would append. A time
    /// rule: what the next sweep does (rules in order, `stop` honoured). An event rule: what it
    /// would do, alone, to each unclosed ticket it matches if its event came now. Distribution:
    /// the waiting tickets the next sweep hands out.
    public static func preview(_ state: DeskState, rules: DeskRules, now: Instant) -> [RulePreview] {
        let ctx = ViewContext(now: now, me: "", rules: rules)
        let sweep = Automation.sweep(state, rules: rules, now: now, view: ctx)
        var byActor: [String: [TicketID: [Event]]] = [:]
        var order: [String: [TicketID]] = [:]
        for e in sweep.events {
            if byActor[e.actor]?[e.ticket] == nil { order[e.actor, default: []].append(e.ticket) }
            byActor[e.actor, default: [:]][e.ticket, default: []].append(e)
        }
        func actions(_ actor: String) -> [RulePreview.Action] {
            (order[actor] ?? []).compactMap { id in
                guard let t = state[id], let events = byActor[actor]?[id] else { return nil }
                return RulePreview.Action(ticket: id, subject: t.subject, events: events, words: words(events, on: t, rules: rules))
            }
        }
        var out: [RulePreview] = []
        for rule in rules.automation.rules {
            var list: [RulePreview.Action] = []
            if rule.on == .time {
                list = actions(rule.actor)
            } else {
                for t in state.all where t.status(at: now, autoCloseAfter: rules.autoCloseAfter) != .closed && rule.condition.matches(t, in: ctx) {
                    var work = Workbench(state: state, touching: [t.id], rules: rules, now: now, source: .live, view: ctx)
                    work.act(rule, on: t.id)
                    if !work.made.isEmpty {
                        list.append(RulePreview.Action(ticket: t.id, subject: t.subject, events: work.made, words: words(work.made, on: t, rules: rules)))
                    }
                }
            }
            out.append(RulePreview(rule: rule.name, on: rule.on, condition: rule.condition.source, actions: list))
        }
        if !rules.automation.distribution.isEmpty {
            var p = RulePreview(rule: "distribution", on: nil, condition: "", actions: actions(distributionActor))
            p.notes = stillWaiting(state, rules: rules, now: now, handedOut: Set(p.actions.map(\.ticket)))
            out.append(p)
        }
        return out
    }

    /// Per department with distribution: the tickets that would still wait, and why each of its
    /// agents takes none (away, at capacity).
    static func stillWaiting(_ state: DeskState, rules: DeskRules, now: Instant, handedOut: Set<TicketID>) -> [String] {
        var waiting: [String: [Channel: Int]] = [:]
        for t in state.all where t.assignee == nil && !handedOut.contains(t.id) {
            guard let d = t.department, rules.automation.distribution(for: d) != nil,
                  t.status(at: now, autoCloseAfter: rules.autoCloseAfter).isWaitingForDesk else { continue }
            waiting[d, default: [:]][t.channel, default: 0] += 1
        }
        guard !waiting.isEmpty else { return [] }
        let load = Workload(state, now: now, rules: rules)
        return waiting.keys.sorted().map { dept in
            let channels = waiting[dept]!
            let policy = rules.automation.distribution(for: dept)!
            let agents = rules.agents.filter { $0.may(.reply) && $0.departments.contains(dept) }
            let why = agents.map { a -> String in
                let presence = state.presence[a.user]?.presence
                guard presence == .available else { return "\(a.user) \(presence?.rawValue ?? "has set no presence")" }
                let full = channels.keys.sorted { $0.rawValue < $1.rawValue }.compactMap { c -> String? in
                    guard let cap = policy.capacity[c], (load.held[a.user]?[c] ?? 0) >= cap else { return nil }
                    return "\(c.rawValue) \(load.held[a.user]?[c] ?? 0) of \(cap)"
                }
                return full.isEmpty ? "\(a.user) available" : "\(a.user) at capacity (\(full.joined(separator: ", ")))"
            }
            let count = channels.values.reduce(0, +)
            return "\(count) still wait\(count == 1 ? "s" : "") in \(dept): " + (why.isEmpty ? "no agent works there" : why.joined(separator: "; "))
        }
    }

    /// Events in words, as the ticket's history and conversation would show them once applied.
    public static func words(_ events: [Event], on t: Ticket, rules: DeskRules) -> [String] {
        var scratch = DeskState.scratch([t], presence: [:], autoCloseAfter: rules.autoCloseAfter)
        var version = t.version
        for e in events {
            version += 1
            scratch.apply(StoredEvent(seq: 0, version: version, event: e))
        }
        guard let after = scratch[t.id] else { return [] }
        var out = after.history.dropFirst(t.history.count).map(\.text)
        for entry in after.entries.dropFirst(t.entries.count) {
            let first = entry.body.split(separator: "\n").first.map(String.init) ?? ""
            out.append("\(entry.kind == .reply ? "reply" : entry.kind.rawValue): \(first.count > 60 ? first.prefix(59) + "…" : first)")
        }
        // What leaves no line in the history: a time rule's marks.
        for e in events {
            if case .automation(_, .matched) = e.kind { out.append("marked: acts again only after the ticket leaves the match") }
            if case .automation(_, .rearmed) = e.kind { out.append("re-armed: the ticket left the match") }
        }
        return out
    }
}
