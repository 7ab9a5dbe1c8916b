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
        let before = made.count
        // Only a rule that did something is marked: one with nothing to do leaves no trace.
        defer { if mark && made.count > before { emit([Event(ticket: id, at: now, actor: rule.actor, kind: .automation(rule: rule.name, .matched))]) } }
        let agent = actor(rule.actor)
        func attempt(_ c: Command) { decide(c, as: rule.actor) }
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

    /// A rule acts as the desk (signed with the desk's name for placeholders), with every permission.
    func actor(_ name: String) -> Agent { Agent(user: name, name: rules.intake.displayName, role: .administrator) }

    /// A command decided as `actor` against the scratch desk, its events emitted; what an agent
    /// would be refused (nothing to do, a status that does not allow it) is skipped (false).
    @discardableResult
    mutating func decide(_ c: Command, as actor: String) -> Bool {
        let ctx = CommandContext(actor: self.actor(actor), now: now, rules: rules, newTicketID: { .desk })
        guard let d = try? Commands.decide(c, state: scratch, context: ctx) else { return false }
        emit(d.events)
        return true
    }

    /// Why no automatic reply goes to a customer.
    enum ReplyRefusal: CustomStringConvertible {
        case history, notEmail, noAddress, bulk
        case machine(String)
        case recently(String, period: Millis)

        var description: String {
            switch self {
            case .history: "history brought in is never answered"
            case .notEmail: "automatic replies go to email only"
            case .noAddress: "the customer has no email address"
            case .bulk: "the mail came from a list or a bulk sender (tagged bulk)"
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
        if Automation.isAutomaticAddress(address) || address.lowercased() == rules.intake.ownAddress { return .machine(address) }
        if t.tags.contains(Automation.bulkTag) { return .bulk }
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
        guard let user = load!.pick(for: t, policy: policy, presence: scratch.presence, rules: rules),
              decide(.reassign(id, to: user, reason: "distributed"), as: actor) else { return false }
        load!.took(user, t.channel, at: now)
        return true
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
