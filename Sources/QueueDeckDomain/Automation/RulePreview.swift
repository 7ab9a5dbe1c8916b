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
            out.append(RulePreview(rule: "distribution", on: nil, condition: "", actions: actions(distributionActor)))
        }
        return out
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
        // What leaves no line in the history: marks, and the email a reply queues.
        for e in events {
            if case .automation(_, .matched) = e.kind { out.append("marked: acts again only after the ticket leaves the match") }
            if case .automation(_, .rearmed) = e.kind { out.append("re-armed: the ticket left the match") }
            if case .delivery(_, .queued(let to, _)) = e.kind { out.append("email to \(to) queued") }
        }
        return out
    }
}
