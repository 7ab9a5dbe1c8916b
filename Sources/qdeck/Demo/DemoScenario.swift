import QueueDeckDomain

/// Builds a realistic desk history: tickets over several days in five languages across the three
/// channels, worked by the roster through the same commands agents use, so every event is valid.
struct DemoScenario {
    let rules: DeskRules
    let now: Instant
    var rng: SeededGenerator

    enum Step {
        case create, claim, reply, followUp, note, postpone(Instant), resolve, reopen, priority(Priority), escalate, abandon
        /// Not about a ticket: an agent's availability (the action's ticket index is ignored).
        case presence(String, Presence)
    }

    struct Action {
        var at: Instant
        var ticket: Int
        var step: Step
    }

    struct Plan {
        var language: DemoCatalogue.Language
        var topic: DemoCatalogue.Topic
        var customer: Customer
        var channel: Channel
        var priority: Priority
        var agent: Agent
        var id: TicketID
    }

    private(set) var skipped = 0

    init(rules: DeskRules, now: Instant, seed: UInt64) {
        self.rules = rules
        self.now = now
        self.rng = SeededGenerator(seed: seed)
    }

    static let customerActor = Agent(user: "customer", name: "customer",
                                     role: Role(name: "intake", permissions: [.create, .inbound]))

    var workers: [Agent] {
        let w = rules.agents.filter { $0.may(.reply) && $0.may(.resolve) }
        return w.isEmpty ? [Agent(user: "demo-agent", name: "Demo Agent", role: .agent)] : w
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
    mutating func minutes(_ r: ClosedRange<Int64>) -> Millis { .minutes(Int64.random(in: r, using: &rng)) }

    /// Customers: each language's names, with contact groups (some VIP) and contact details.
    mutating func customers() -> [(DemoCatalogue.Language, Customer)] {
        var out: [(DemoCatalogue.Language, Customer)] = []
        for lang in DemoCatalogue.languages {
            for name in lang.names {
                let ascii = name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == " ") }
                let local = String(String.UnicodeScalarView(ascii)).lowercased().split(separator: " ").joined(separator: ".")
                let user = local.isEmpty ? "client\(Int.random(in: 100...999, using: &rng))" : local
                var groups: [String] = []
                let roll = Int.random(in: 0..<100, using: &rng)
                if roll < 15 { groups = ["vip", "paying"] } else if roll < 50 { groups = ["paying"] } else if roll < 60 { groups = ["trial"] }
                groups = groups.filter { g in rules.contactGroups.contains { $0.name == g } }
                let phone = lang.phonePrefix + String(Int.random(in: 1_000_000...9_999_999, using: &rng))
                out.append((lang, Customer(name: name, email: "\(user)@\(lang.domain)", phone: phone, groups: groups)))
            }
        }
        return out
    }

    /// When tickets arrive: mostly in opening hours, a burst in the last two hours.
    mutating func arrival(_ i: Int, days: Int) -> Instant {
        if i < 24 { return now - minutes(2...120) }
        while true {
            let t = now - .minutes(Int64.random(in: 121...Int64(days * 1440), using: &rng))
            let hour = rules.calendar.localMinute(of: t) / 60
            if (8..<20).contains(hour) || chance(15) { return t }
        }
    }

    mutating func plan(tickets count: Int, days: Int) -> ([Plan], [Action]) {
        let people = customers()
        var plans: [Plan] = []
        var actions: [Action] = []
        var used = Set<TicketID>()
        for i in 0..<count {
            let (lang, customer) = people[Int.random(in: 0..<people.count, using: &rng)]
            let topic = lang.topics[Int.random(in: 0..<lang.topics.count, using: &rng)]
            let roll = Int.random(in: 0..<100, using: &rng)
            let channel: Channel = roll < 55 ? .email : roll < 78 ? .call : .chat
            let p = Int.random(in: 0..<100, using: &rng)
            let priority: Priority = p < 15 ? .low : p < 70 ? .normal : p < 92 ? .high : .urgent
            let staff = workers.filter { $0.departments.contains(topic.department) }
            let agent = (staff.isEmpty ? workers : staff)[Int.random(in: 0..<(staff.isEmpty ? workers : staff).count, using: &rng)]
            var id = TicketID.random(using: &rng)
            while used.contains(id) { id = TicketID.random(using: &rng) }
            used.insert(id)
            var created = arrival(i, days: days)
            var ch = channel
            if (24..<32).contains(i) {
                let target = rules.sla.fallback.firstResponse ?? .hours(8)
                if let t = atRiskArrival(target: target) {
                    created = t
                    ch = .email
                    atRiskTickets.insert(i)
                }
            }
            let pr = atRiskTickets.contains(i) ? Priority.normal : priority
            let lowValue = customer.groups.filter { $0 != "vip" }
            let who = atRiskTickets.contains(i) ? Customer(name: customer.name, email: customer.email, phone: customer.phone, groups: lowValue) : customer
            plans.append(Plan(language: lang, topic: topic, customer: who, channel: ch, priority: pr, agent: agent, id: id))
            actions += script(ticket: i, created: created, channel: ch)
        }
        actions += shifts()
        return (plans, actions.sorted { $0.at < $1.at })
    }

    /// One ticket's life, chosen by chance and age: the older it is, the likelier it is solved.
    mutating func script(ticket i: Int, created t0: Instant, channel: Channel) -> [Action] {
        var out = [Action(at: t0, ticket: i, step: .create)]
        let latest = now - .minutes(1)
        func add(_ at: Instant, _ s: Step) { if at <= latest { out.append(Action(at: at, ticket: i, step: s)) } }
        var respond: Millis = switch channel {
        case .chat: minutes(1...12)
        case .call: minutes(0...6) + .seconds(30)
        case .email: minutes(10...420)
        }
        if chance(12) { respond *= 3 }
        let claimAt = t0 + min(respond / 2, minutes(1...20))
        let replyAt = t0 + respond
        let age = latest - t0
        // Callers and chat visitors who give up waiting: the missed ones to get back to.
        if channel != .email && chance(age < .hours(2) ? 30 : 8) { add(t0 + minutes(1...6), .abandon) }
        if age < .hours(2) || atRiskTickets.contains(i) {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 55 || atRiskTickets.contains(i) { return out }
            add(claimAt, .claim)
            if roll >= 75 { add(replyAt, .reply) }
            return out
        }
        if chance(12) { add(t0 + minutes(5...200), .note) }
        if chance(8) { add(t0 + minutes(3...90), .priority(.urgent)) }
        if chance(7) { add(t0 + minutes(10...120), .escalate) }
        add(claimAt, .claim)
        let solvedShare = age > .days(2) ? 85 : age > .hours(8) ? 55 : 25
        if chance(solvedShare) {
            add(replyAt, .reply)
            let done = replyAt + minutes(10...900)
            let kind = Int.random(in: 0..<100, using: &rng)
            switch kind {
            case 0..<70: add(done, .resolve)
            case 70..<80:
                add(done, .resolve)
                add(done + minutes(60...1800), .followUp)
            case 80..<88:
                add(done, .resolve)
                add(done + minutes(30...600), .reopen)
                add(done + minutes(620...900), .reply)
            default:
                add(replyAt + minutes(30...600), .followUp)
                add(replyAt + minutes(620...800), .reply)
                add(replyAt + minutes(900...1400), .resolve)
            }
            return out
        }
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<4: break  // claimed, never answered: the breaches a desk should see
        case 4..<45: add(replyAt, .reply)
        case 45..<70:
            add(replyAt, .reply)
            let back = replyAt + minutes(60...1200)
            add(back, .followUp)
            if chance(age > .days(1) ? 75 : 30) { add(back + minutes(15...240), .reply) }
        case 70..<88:
            add(replyAt, .reply)
            add(replyAt + minutes(5...60), .postpone(postponeTarget()))
        default:
            add(claimAt + minutes(5...30), .postpone(postponeTarget()))
        }
        return out
    }

    /// The roster's day: everyone signs in each morning of the last week, most sign off in the evening;
    /// today one agent is on a break (away) and one has gone home (offline).
    mutating func shifts() -> [Action] {
        var out: [Action] = []
        let cal = rules.calendar
        let today = cal.localDay(of: now)
        let latest = now - .minutes(1)
        for day in (today - 6)...today {
            for a in workers {
                var on = cal.instant(day: day, minute: 8 * 60) + minutes(0...40)
                if day == today { on = min(on, now - minutes(60...180)) }  // whatever the hour, today's shift is on
                let off = cal.instant(day: day, minute: 17 * 60) + minutes(0...90)
                if on <= latest { out.append(Action(at: on, ticket: -1, step: .presence(a.user, .available))) }
                if off <= latest && day < today { out.append(Action(at: off, ticket: -1, step: .presence(a.user, .offline))) }
            }
        }
        let w = workers
        if w.count >= 3 {
            out.append(Action(at: now - minutes(10...25), ticket: -1, step: .presence(w[w.count - 2].user, .away)))
            out.append(Action(at: now - minutes(40...90), ticket: -1, step: .presence(w[w.count - 1].user, .offline)))
        }
        return out.filter { $0.at >= cal.instant(day: today - 6, minute: 0) }
    }

    /// Tickets placed so that their first-response clock is at risk now, whatever the hour.
    var atRiskTickets: Set<Int> = []

    /// A creation time at which a new email ticket has used 78–95 % of its first-response target.
    mutating func atRiskArrival(target: Millis) -> Instant? {
        var candidates: [Instant] = []
        var t = now - .minutes(5)
        let earliest = now - .days(5)
        while t > earliest {
            let used = rules.calendar.businessMillis(from: t, to: now)
            if used > target { break }
            if used >= target * 78 / 100 { candidates.append(t) }
            t = t - .minutes(7)
        }
        return candidates.isEmpty ? nil : candidates[Int.random(in: 0..<candidates.count, using: &rng)]
    }

    /// Postponed until: already past (woken), waking within the hour, or tomorrow morning.
    mutating func postponeTarget() -> Instant {
        let r = Int.random(in: 0..<3, using: &rng)
        if r == 0 { return now + minutes(10...50) }
        if r == 1 { return now + minutes(900...2000) }
        return now - minutes(30...600)
    }

    /// Runs the actions through the commands and returns the events, in order.
    mutating func events(tickets count: Int, days: Int) -> [Event] {
        let (plans, actions) = plan(tickets: count, days: days)
        var state = DeskState(autoCloseAfter: rules.autoCloseAfter)
        var out: [Event] = []
        var seq: UInt64 = 0
        var linkedIDs: [TicketID] = (0..<64).map { _ in TicketID.random(using: &rng) }
        /// Decides a command as `actor` at `at` and folds its events in; false if it was refused.
        func record(_ command: Command, as actor: Agent, at: Instant, newID: TicketID) -> Bool {
            let ctx = CommandContext(actor: actor, now: at, rules: rules, newTicketID: { newID })
            guard let d = try? Commands.decide(command, state: state, context: ctx) else { return false }
            for e in d.events {
                seq += 1
                state.apply(StoredEvent(seq: seq, version: (state[e.ticket]?.version ?? 0) + 1, event: e))
                out.append(e)
            }
            return true
        }
        let lead = rules.agents.first { $0.may(.presenceOthers) } ?? Agent(user: "admin", name: "admin", role: .administrator)
        for a in actions {
            if case .presence(let who, let presence) = a.step {
                if !record(.setPresence(agent: who, presence), as: lead, at: a.at, newID: .desk) { skipped += 1 }
                continue
            }
            let p = plans[a.ticket]
            let customerSide: Bool
            let command: Command
            switch a.step {
            case .presence: continue  // recorded above
            case .abandon:
                customerSide = true
                command = .abandon(p.id, reason: p.channel == .call ? "hung up in the queue" : "left the chat before an answer")
            case .create:
                customerSide = p.channel != .call
                let subject = p.channel == .call ? "Call: " + p.topic.subject : p.topic.subject
                command = .create(TicketOpening(channel: p.channel, customer: p.customer, subject: subject, body: p.topic.body,
                                                priority: p.priority, department: rules.department(named: p.topic.department)?.name),
                                  tags: p.topic.tags)
            case .claim: customerSide = false; command = .claim(p.id)
            case .reply:
                customerSide = false
                command = .reply(p.id, body: p.language.agentReply[Int.random(in: 0..<p.language.agentReply.count, using: &rng)])
            case .followUp:
                customerSide = true
                command = .customerMessage(p.id, body: p.language.followUp[Int.random(in: 0..<p.language.followUp.count, using: &rng)])
            case .note:
                customerSide = false
                command = .note(p.id, body: DemoCatalogue.notes[Int.random(in: 0..<DemoCatalogue.notes.count, using: &rng)])
            case .postpone(let until): customerSide = false; command = .postpone(p.id, until: until)
            case .resolve: customerSide = false; command = .resolve(p.id)
            case .reopen: customerSide = false; command = .reopen(p.id)
            case .priority(let pr): customerSide = false; command = .setPriority(p.id, pr)
            case .escalate:
                customerSide = false
                let dept = rules.departments.first { $0.tier > 1 }?.name ?? rules.departments.first?.name ?? "none"
                command = .reassign(p.id, to: dept, reason: DemoCatalogue.reasons[Int.random(in: 0..<DemoCatalogue.reasons.count, using: &rng)])
            }
            let fresh = a.step.isCreate ? p.id : (linkedIDs.popLast() ?? p.id)
            let actor = customerSide ? DemoScenario.customerActor : supervisorIfNeeded(p.agent, a.step)
            if !record(command, as: actor, at: a.at, newID: fresh) { skipped += 1 }
            if linkedIDs.isEmpty { linkedIDs = (0..<64).map { _ in TicketID.random(using: &rng) } }
        }
        return out
    }

    /// Escalation moves tickets between departments, which a plain agent may not do to others' tickets.
    func supervisorIfNeeded(_ agent: Agent, _ step: Step) -> Agent {
        guard case .escalate = step, !agent.may(.reassignAny) else { return agent }
        return rules.agents.first { $0.may(.reassignAny) && $0.may(.reply) } ?? agent
    }
}

extension DemoScenario.Step {
    var isCreate: Bool { if case .create = self { return true } else { return false } }
}
