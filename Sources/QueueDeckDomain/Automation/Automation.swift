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
        var work: Workbench?
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
                    if work == nil { work = Workbench(state: state, touching: [], rules: rules, now: now, source: .live, view: ctx) }
                    work!.take(current)
                    expected[t.id] = t.version
                    work!.act(rule, on: t.id, mark: true)
                    current = work!.scratch[t.id] ?? current
                } else if !matches && marked {
                    if work == nil { work = Workbench(state: state, touching: [], rules: rules, now: now, source: .live, view: ctx) }
                    work!.take(current)
                    expected[t.id] = t.version
                    work!.emit([Event(ticket: t.id, at: now, actor: rule.actor, kind: .automation(rule: rule.name, .rearmed))])
                    current = work!.scratch[t.id] ?? current
                }
                if matches && rule.stop { break }
            }
            var waitsForSomeone = false
            if distributing, current.assignee == nil, current.status(at: now, autoCloseAfter: rules.autoCloseAfter).isWaitingForDesk,
               rules.automation.distribution(for: current.department) != nil {
                if work == nil { work = Workbench(state: state, touching: [], rules: rules, now: now, source: .live, view: ctx) }
                work!.take(current)
                if work!.distributeIfWaiting(t.id) { expected[t.id] = t.version } else { waitsForSomeone = true }
            }
            // Acted on (its version moves on) or waiting for an agent: looked at next time too.
            if let memory, expected[t.id] == nil, !waitsForSomeone {
                let next = timeRules.compactMap { $0.condition.nextChange(for: t, ctx) }.min()
                let wakes = distributing ? t.statusChange(after: now, autoCloseAfter: rules.autoCloseAfter) : nil
                memory.remember(t, until: [next, wakes].compactMap { $0 }.min() ?? .distantFuture)
            }
        }
        return Decision(events: work?.made ?? [], expectedVersions: expected)
    }

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

/// What a runner keeps between sweeps: for each ticket (by slot), the version it was looked at and
/// the moment before which nothing but an event can change what the time rules make of it.
public final class SweepMemory: @unchecked Sendable {
    private var seen: [(id: TicketID, version: UInt32, until: Instant)?] = []
    /// How many tickets the last sweep looked at (the figures).
    public internal(set) var looked = 0

    public init() {}

    func due(_ t: Ticket, at now: Instant) -> Bool {
        guard t.slot < seen.count, let s = seen[t.slot], s.id == t.id, s.version == t.version else { return true }
        return s.until <= now
    }

    func remember(_ t: Ticket, until: Instant) {
        if t.slot >= seen.count { seen.append(contentsOf: repeatElement(nil, count: t.slot - seen.count + 1)) }
        seen[t.slot] = (t.id, t.version, until)
    }
}

/// The scratch desk a batch of rules works on: the touched tickets only (a copy of the whole desk
/// would cost a copy of every ticket per append), with each rule's events folded in as they come.
struct Workbench {
    let state: DeskState
    let rules: DeskRules
    let now: Instant
    let source: Automation.Source
    let view: ViewContext
    var scratch: DeskState
    var made: [Event] = []
    private var load: Workload?

    init(state: DeskState, touching ids: [TicketID], rules: DeskRules, now: Instant, source: Automation.Source, view: ViewContext? = nil) {
        self.state = state
        self.rules = rules
        self.now = now
        self.source = source
        self.view = view ?? ViewContext(now: now, me: "", rules: rules)
        scratch = DeskState.scratch(ids.compactMap { state[$0] }, presence: state.presence, autoCloseAfter: rules.autoCloseAfter)
    }

    /// Brings a ticket into the scratch desk (a sweep meets them one by one).
    mutating func take(_ t: Ticket) {
        if scratch[t.id] == nil { scratch.adopt(t) }
    }

    /// Folds events into the scratch desk, each at the ticket's next version.
    mutating func stage(_ events: [Event]) {
        for e in events {
            let v = e.ticket == .desk ? scratch.deskVersion + 1 : (scratch[e.ticket]?.version ?? 0) + 1
            scratch.apply(StoredEvent(seq: 0, version: v, event: e))
        }
    }

    mutating func emit(_ events: [Event]) {
        stage(events)
        made += events
    }

    /// The rule's actions on one ticket; a time rule also marks that it acted (`mark`).
    mutating func act(_ rule: Rule, on id: TicketID, mark: Bool = false) {
        if mark { emit([Event(ticket: id, at: now, actor: rule.actor, kind: .automation(rule: rule.name, .matched))]) }
        let agent = Agent(user: rule.actor, name: rules.intake.displayName, role: .administrator)
        let ctx = CommandContext(actor: agent, now: now, rules: rules, newTicketID: { .desk })
        func attempt(_ c: Command) {
            // What an agent would be refused (nothing to do, a status that does not allow it) is skipped.
            guard let d = try? Commands.decide(c, state: scratch, context: ctx) else { return }
            emit(d.events)
        }
        for action in rule.actions {
            guard let t = scratch[id] else { return }
            switch action {
            case .department(let name):
                guard let dept = rules.department(named: name), t.department != dept.name else { continue }
                // The assignee stays when they work in the new department too.
                let keep = t.assignee.flatMap { rules.agent(user: $0) }.map { $0.departments.contains(dept.name) } ?? false
                emit([Event(ticket: id, at: now, actor: rule.actor, kind: .reassigned(agent: keep ? t.assignee : nil, department: dept.name, reason: ""))])
            case .assignee(.agent(let user)): attempt(.reassign(id, to: user, reason: ""))
            case .assignee(.nobody): attempt(.reassign(id, to: "none", reason: ""))
            case .assignee(.distribute): distribute(id, actor: rule.actor)
            case .priority(let p): attempt(.setPriority(id, p))
            case .tags(let add, let remove): attempt(.tag(id, add: add, remove: remove))
            case .note(let text): attempt(.note(id, body: Placeholders.fill(text, ticket: t, agent: agent)))
            case .reply(let name):
                guard let canned = rules.canned(named: name) else { continue }
                switch replyRefusal(t) {
                case nil: attempt(.reply(id, body: Placeholders.fill(canned.text, ticket: t, agent: agent)))
                case .history?, .notEmail?: continue  // nothing to say: never meant to be answered
                case let why?:
                    // Held back for this customer: the history says so, or a resolve that follows
                    // would close the ticket in silence.
                    attempt(.note(id, body: "The automatic reply '\(canned.name)' was not sent: \(why)."))
                }
            case .postpone(let span): attempt(.postpone(id, until: now + span))
            case .resolve: attempt(.resolve(id))
            case .notify(let targets):
                let users = notified(targets, t)
                if !users.isEmpty { emit([Event(ticket: id, at: now, actor: rule.actor, kind: .automation(rule: rule.name, .notified(users)))]) }
            }
        }
    }

    /// Why no automatic reply goes to a customer.
    enum ReplyRefusal: CustomStringConvertible {
        case history, notEmail, noAddress
        case machine(String)
        case recently(String, period: Millis)

        var description: String {
            switch self {
            case .history: "history brought in is never answered"
            case .notEmail: "automatic replies go to email only"
            case .noAddress: "the customer has no email address"
            case .machine(let a): "\(a) is a machine's address"
            case .recently(let a, let period):
                "\(a) had an automatic reply in the last \(period % .hours(1) == 0 ? "\(period / .hours(1)) h" : "\(max(1, period / .minutes(1))) min") (auto_reply_period)"
            }
        }
    }

    /// Why no automatic reply goes to this ticket's customer now, or nil.
    func replyRefusal(_ t: Ticket) -> ReplyRefusal? {
        if source == .backfill { return .history }
        guard t.channel == .email else { return .notEmail }
        guard let address = t.customer.email, !address.isEmpty else { return .noAddress }
        if Automation.isAutomaticAddress(address) { return .machine(address) }
        let period = rules.automation.autoReplyPeriod
        let since = now - period
        var tickets = state.ticketsByContact[t.customer.contactKey] ?? []
        if !tickets.contains(t.id) { tickets.append(t.id) }
        for id in tickets {
            guard let other = scratch[id] ?? state[id] else { continue }
            for entry in other.entries.reversed() {
                if entry.at <= since { break }
                if entry.kind == .reply && Automation.isRules(entry.author) { return .recently(address, period: period) }
            }
        }
        return nil
    }

    func notified(_ targets: [NotifyTarget], _ t: Ticket) -> [String] {
        var users: [String] = []
        for target in targets {
            switch target {
            case .assignee: if let a = t.assignee { users.append(a) }
            case .department:
                users += rules.agents.filter { a in a.may(.reply) && t.department.map { a.departments.contains($0) } ?? false }.map(\.user)
            case .supervisors: users += rules.agents.filter { $0.may(.reassignAny) }.map(\.user)
            }
        }
        var seen = Set<String>()
        return users.filter { seen.insert($0).inserted }
    }

    /// A ticket of a department with distribution, new or open and unassigned, goes to an agent
    /// who can take it; true when it did.
    @discardableResult
    mutating func distributeIfWaiting(_ id: TicketID) -> Bool {
        guard let t = scratch[id], t.assignee == nil, rules.automation.distribution(for: t.department) != nil,
              t.status(at: now, autoCloseAfter: rules.autoCloseAfter).isWaitingForDesk else { return false }
        return distribute(id, actor: Automation.distributionActor)
    }

    @discardableResult
    mutating func distribute(_ id: TicketID, actor: String) -> Bool {
        guard let t = scratch[id] else { return false }
        if load == nil { load = Workload(state, now: now, rules: rules) }
        let policy = rules.automation.distribution(for: t.department) ?? Distribution()
        guard let user = load!.pick(for: t, policy: policy, presence: scratch.presence, rules: rules) else { return false }
        let agent = rules.agent(user: user)
        let dept = agent.map { $0.departments.contains { $0 == t.department } } ?? true ? nil : agent?.departments.first
        emit([Event(ticket: id, at: now, actor: actor, kind: .reassigned(agent: user, department: dept, reason: "distributed"))])
        load!.took(user, t.channel, at: now)
        return true
    }
}

/// Who holds what: each agent's new and open tickets by channel, and when they last got one.
struct Workload {
    var held: [String: [Channel: Int]] = [:]
    var lastGiven: [String: Instant] = [:]
    /// Within one batch or sweep every ticket is given at the same instant: the order given.
    private var givenHere: [String: Int] = [:]
    private var given = 0

    init(_ state: DeskState, now: Instant, rules: DeskRules) {
        for t in state.all {
            guard let a = t.assignee else { continue }
            if t.status(at: now, autoCloseAfter: rules.autoCloseAfter).isWaitingForDesk { held[a, default: [:]][t.channel, default: 0] += 1 }
            if let h = t.history.last(where: { if case .reassigned = $0.change { true } else if case .claimed = $0.change { true } else { false } }),
               h.at > lastGiven[a] ?? Instant(ms: .min) {
                lastGiven[a] = h.at
            }
        }
    }

    /// An available agent of the ticket's department under capacity for its channel, or nil.
    func pick(for t: Ticket, policy: Distribution, presence: [String: PresenceRecord], rules: DeskRules) -> String? {
        let candidates = rules.agents.filter { a in
            a.may(.reply) && (t.department.map { a.departments.contains($0) } ?? true) && presence[a.user]?.presence == .available
                && (held[a.user]?[t.channel] ?? 0) < (policy.capacity[t.channel] ?? .max)
        }
        let never = Instant(ms: .min)
        // Who got one least recently: by time, then (at the same instant) by the order given here.
        let earlier = { (a: Agent, b: Agent) -> Bool in
            ((lastGiven[a.user] ?? never).ms, givenHere[a.user] ?? 0) < ((lastGiven[b.user] ?? never).ms, givenHere[b.user] ?? 0)
        }
        switch policy.mode {
        case .leastLoaded:
            return candidates.min { a, b in
                let la = held[a.user]?[t.channel] ?? 0, lb = held[b.user]?[t.channel] ?? 0
                return la != lb ? la < lb : earlier(a, b)
            }?.user
        case .roundRobin:
            return candidates.min(by: earlier)?.user
        }
    }

    mutating func took(_ user: String, _ channel: Channel, at: Instant) {
        held[user, default: [:]][channel, default: 0] += 1
        lastGiven[user] = at
        given += 1
        givenHere[user] = given
    }
}

extension Workbench {
    /// A time rule this ticket was marked for and no longer matches is re-armed in the same batch
    /// as the change that took it out (no later append on a ticket an agent is working).
    mutating func rearmLeft(_ id: TicketID) {
        guard let t = scratch[id], !t.rulesMatched.isEmpty else { return }
        for name in t.rulesMatched {
            let rule = rules.automation.rules.first { $0.on == .time && $0.name == name }
            if let rule, rule.condition.matches(t, in: view) { continue }
            emit([Event(ticket: id, at: now, actor: Automation.actor(name), kind: .automation(rule: name, .rearmed))])
        }
    }
}
