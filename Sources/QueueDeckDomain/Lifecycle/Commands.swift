/// An action an agent (or intake) asks for. `decide` validates it against the state and returns
/// the events to append, or a typed error.
public enum Command: Sendable {
    case create(TicketOpening, tags: [String] = [])
    case reply(TicketID, body: String, ReplyExtras = ReplyExtras())
    case customerMessage(TicketID, body: String)
    case note(TicketID, body: String)
    /// `to` names an agent (user) or a department.
    case reassign(TicketID, to: String, reason: String)
    case postpone(TicketID, until: Instant)
    case resolve(TicketID)
    case reopen(TicketID)
    case setPriority(TicketID, Priority)
    case tag(TicketID, add: [String], remove: [String])
    case claim(TicketID)
    /// Record that the customer left while waiting (hung up, closed the chat).
    case abandon(TicketID, reason: String)
    /// Set an agent's availability; `agent` nil means the acting agent.
    case setPresence(agent: String?, Presence)
    /// Record a step of an email reply's hand-over to the mail system.
    case recordDelivery(TicketID, messageID: String, DeliveryStep)
    /// Take the mail other senders wrote into a ticket as the customer's (it reopens, as theirs would).
    /// `from`: the one sender's address to accept; needed when mail from several senders waits.
    case acceptMail(TicketID, from: String? = nil)
    /// Leave the mail other senders wrote into a ticket as theirs: it stays in the conversation,
    /// changing nothing, and no longer waits.
    case dismissMail(TicketID, from: String? = nil)
    /// Change a contact: its name, groups, addresses, numbers (README: Contacts).
    case editContact(ContactChange)
    /// Make two contacts one: the second's addresses, numbers and groups join the first's card.
    case mergeContacts(into: String, from: String)

    public var ticket: TicketID? {
        switch self {
        case .create, .setPresence, .editContact, .mergeContacts: nil
        case .reply(let t, _, _), .customerMessage(let t, _), .note(let t, _), .reassign(let t, _, _), .postpone(let t, _),
             .resolve(let t), .reopen(let t), .setPriority(let t, _), .tag(let t, _, _), .claim(let t),
             .abandon(let t, _), .recordDelivery(let t, _, _), .acceptMail(let t, _), .dismissMail(let t, _): t
        }
    }
}

/// What a reply carries besides its text: files, and recipients other than the ticket's own
/// (nil: the customer, and the ticket's Cc list). Addresses are checked by the caller (one mailbox each).
public struct ReplyExtras: Sendable, Hashable {
    public var attachments: [AttachmentRef]
    public var to: String?
    public var cc: [String]?

    public init(attachments: [AttachmentRef] = [], to: String? = nil, cc: [String]? = nil) {
        self.attachments = attachments
        self.to = to
        self.cc = cc
    }
}

/// Who acts, when, under which rules, and where new ticket IDs come from.
public struct CommandContext: Sendable {
    public var actor: Agent
    public var now: Instant
    public var rules: DeskRules
    public var newTicketID: @Sendable () -> TicketID

    public init(actor: Agent, now: Instant, rules: DeskRules, newTicketID: @escaping @Sendable () -> TicketID) {
        self.actor = actor
        self.now = now
        self.rules = rules
        self.newTicketID = newTicketID
    }
}

public enum Commands {
    static let working: [TicketStatus] = [.new, .open, .answered, .postponed]
    /// Why an email reply to a customer without an address stays in the outbox.
    public static let longestPostponement = Millis.days(365)

    /// Strangers' mail waiting on a ticket, from one sender's address or from all.
    static func waiting(on id: TicketID, from: String?, state: DeskState) throws(DomainError) -> [AwaitingMail] {
        let all = state.awaiting(on: id)
        guard !all.isEmpty else { throw .nothingToDo(ticket: id, reason: "has no mail from another sender waiting") }
        guard let from else { return all }
        let chosen = all.filter { Customer.address(inMailbox: $0.record.sender).lowercased() == from.lowercased() }
        guard !chosen.isEmpty else {
            throw .invalidValue(field: "from", value: from, reason: "no waiting mail is from it; from: \(Set(all.map(\.record.sender)).sorted().joined(separator: ", "))")
        }
        return chosen
    }
    /// The most text one reply, note or recorded message holds (as much as intake keeps of a mail).
    public static let maxTextBytes = 1 << 20
    public static let noAddress = "the customer has no email address that can be used: not sent; it is kept and goes once they have one (when mail from them arrives from a valid address, accept it: qdeck accept ID, then qdeck outbox --retry)"

    public static func decide(_ command: Command, state: DeskState, context ctx: CommandContext) throws(DomainError) -> Decision {
        let user = ctx.actor.user
        func need(_ p: Permission) throws(DomainError) {
            guard ctx.actor.may(p) else { throw .notPermitted(user: user, permission: p) }
        }
        func event(_ id: TicketID, _ kind: EventKind, actor: String? = nil) -> Event {
            Event(ticket: id, at: ctx.now, actor: actor ?? user, kind: kind)
        }
        func nonEmpty(_ body: String, _ field: String) throws(DomainError) {
            guard !body.trimmingWhitespace().isEmpty else { throw .invalidValue(field: field, value: "", reason: "must not be empty") }
            // Every screen shows whole messages: a 16 MB note once froze the console for seconds.
            guard body.utf8.count <= Commands.maxTextBytes else {
                throw .invalidValue(field: field, value: "\(body.utf8.count) bytes", reason: "is over the 1 MiB a message may hold; nothing was stored")
            }
        }

        if case .create(var opening, let tags) = command {
            try need(.create)
            opening.subject = opening.subject.trimmingWhitespace()
            try nonEmpty(opening.subject, "subject")
            guard !opening.customer.name.isEmpty else { throw .invalidValue(field: "customer", value: "", reason: "must not be empty") }
            // A contact agents edited keeps its groups on every new ticket.
            if let card = opening.customer.identityKeys.lazy.compactMap({ state.contactCard(for: $0) }).first {
                for g in card.groups where !opening.customer.groups.contains(g) { opening.customer.groups.append(g) }
            }
            if let d = opening.department {
                guard let dept = ctx.rules.department(named: d) else { throw .unknownDepartment(d) }
                opening.department = dept.name
            }
            let id = freshID(state, ctx)
            var events = [event(id, .created(opening))]
            let clean = try cleanTags(tags)
            if !clean.isEmpty { events.append(event(id, .tagged(added: clean, removed: []))) }
            return Decision(events: events, expectedVersions: [id: 0])
        }

        switch command {
        case .editContact(let change): return try ContactCommands.edit(change, state: state, context: ctx)
        case .mergeContacts(let into, let from): return try ContactCommands.merge(into: into, from: from, state: state, context: ctx)
        case .create, .reply, .customerMessage, .note, .reassign, .postpone, .resolve, .reopen, .setPriority, .tag, .claim, .abandon,
             .setPresence, .recordDelivery, .acceptMail, .dismissMail:
            break
        }

        if case .setPresence(let who, let presence) = command {
            let target = who.map { $0.trimmingWhitespace() } ?? user
            guard let agent = ctx.rules.agent(user: target) else {
                throw .invalidValue(field: "agent", value: target, reason: "is not in the roster")
            }
            if agent.user != user { try need(.presenceOthers) }
            guard agent.may(.reply) else {
                throw .invalidValue(field: "agent", value: target, reason: "role \(agent.role.name) does not work queues")
            }
            if state.presence[agent.user]?.presence == presence {
                throw .nothingToDo(ticket: .desk, reason: "\(agent.user) is already \(presence.rawValue)")
            }
            return Decision(events: [event(.desk, .presence(agent: agent.user, presence))], expectedVersions: [:])
        }

        guard let id = command.ticket else { throw .invalidValue(field: "command", value: "", reason: "names no ticket") }
        let t = try state.ticket(id)
        let status = t.status(at: ctx.now, autoCloseAfter: ctx.rules.autoCloseAfter)
        func allow(_ action: String, _ allowed: [TicketStatus]) throws(DomainError) {
            guard allowed.contains(status) else {
                throw .invalidTransition(ticket: id, status: status, action: action, allowed: allowed)
            }
        }
        let one = { (k: EventKind) in Decision(events: [event(id, k)], expectedVersions: [id: t.version]) }

        switch command {
        case .create:
            fatalError("handled above")
        case .reply(_, let body, let extras):
            try need(.reply)
            try nonEmpty(body, "reply")
            try allow("reply to", working + [.resolved])
            if t.channel != .email, extras != ReplyExtras() {
                throw .invalidValue(field: "reply", value: t.channel.rawValue, reason: "files and recipients go with email replies only; this is a \(t.channel.rawValue) ticket")
            }
            var d = one(.agentReply(body: body))
            if !extras.attachments.isEmpty { d.events.append(event(id, .attached(extras.attachments))) }
            let cc = extras.cc ?? t.cc
            if cc != t.cc { d.events.append(event(id, .ccChanged(cc))) }
            // An email reply goes out through the mail system: queue it with the reply, atomically.
            if t.channel == .email, ctx.rules.intake.sendReplies {
                let messageID = "<qdeck.\(id).\(t.version + 1).\(ctx.now.ms)@\(ctx.rules.intake.domain)>"
                let to = extras.to ?? t.customer.email ?? ""
                d.events.append(event(id, .delivery(messageID: messageID, .queued(to: to, cc: cc.filter { $0.lowercased() != to.lowercased() }))))
                // No address: never "answered" in silence; the outbox keeps it, undeliverable, and says why.
                if to.isEmpty { d.events.append(event(id, .delivery(messageID: messageID, .failed(Commands.noAddress)))) }
            }
            return d
        case .customerMessage(_, let body):
            try need(.inbound)
            try nonEmpty(body, "message")
            if status == .closed {
                // A message after closing starts a new ticket linked to the closed one.
                let newID = freshID(state, ctx)
                let o = TicketOpening(channel: t.channel, customer: t.customer, subject: t.subject, body: body,
                                      priority: t.priority, department: t.department, linkedFrom: id, queue: t.queue)
                return Decision(events: [event(newID, .created(o), actor: "customer")], expectedVersions: [newID: 0])
            }
            return one(.customerMessage(body: body))
        case .acceptMail(_, let from):
            try need(.inbound)
            let waiting = try Commands.waiting(on: id, from: from, state: state)
            // One customer, one address: when several senders wrote, the agent says whose mail is theirs.
            let senders = Set(waiting.map { Customer.address(inMailbox: $0.record.sender).lowercased() })
            if from == nil && senders.count > 1 {
                throw .invalidValue(field: "from", value: "", reason: "mail from \(senders.count) senders waits (\(senders.sorted().joined(separator: ", "))): accept one sender's, naming it")
            }
            var events: [Event] = []
            var into = id
            var expected: [TicketID: UInt32] = [id: t.version]
            for w in waiting {
                let r = w.record
                events.append(event(id, .intake(IntakeRecord(key: "accepted:" + r.key, kind: .accepted,
                                                             summary: "accepted by \(user): the mail from \(r.sender) is taken as the customer's",
                                                             sender: Customer.address(inMailbox: r.sender)))))
                let body = r.body.trimmingWhitespace().isEmpty ? "(no text)" : r.body
                let author = Lifecycle.senderPrefix + r.sender
                if status == .closed && into == id {
                    // After closing, as the customer's own mail would: a new ticket linked to this one.
                    into = freshID(state, ctx)
                    // Opened empty, then the mail under its real sender (not credited to the customer).
                    let o = TicketOpening(channel: t.channel, customer: t.customer, subject: t.subject, body: "",
                                          priority: t.priority, department: t.department, linkedFrom: id, queue: t.queue)
                    events.append(event(into, .created(o), actor: author))
                    events.append(event(into, .customerMessage(body: body), actor: author))
                    expected[into] = 0
                } else {
                    events.append(event(into, .customerMessage(body: body), actor: author))
                }
            }
            return Decision(events: events, expectedVersions: expected)
        case .dismissMail(_, let from):
            try need(.inbound)
            let waiting = try Commands.waiting(on: id, from: from, state: state)
            let events = waiting.map { w in
                event(id, .intake(IntakeRecord(key: "accepted:" + w.record.key, kind: .accepted,
                                               summary: "dismissed by \(user): the mail from \(w.record.sender) is not the customer's")))
            }
            return Decision(events: events, expectedVersions: [id: t.version])
        case .note(_, let body):
            try need(.note)
            try nonEmpty(body, "note")
            return one(.note(body: body))
        case .reassign(_, let to, let reason):
            if t.assignee == nil || t.assignee == user { try need(.reassignOwn) } else { try need(.reassignAny) }
            try allow("reassign", working + [.resolved])
            let target = to.trimmingWhitespace()
            if ["none", "nobody", "-"].contains(target.lowercased()) {
                guard t.assignee != nil else { throw .nothingToDo(ticket: id, reason: "is already unassigned") }
                return one(.reassigned(agent: nil, department: nil, reason: reason))
            }
            if let agent = ctx.rules.agent(user: target) ?? ctx.rules.agents.first(where: { $0.name.lowercased() == target.lowercased() }) {
                guard agent.may(.reply) else {
                    throw .invalidValue(field: "agent", value: target, reason: "role \(agent.role.name) cannot work tickets")
                }
                guard t.assignee != agent.user else { throw .nothingToDo(ticket: id, reason: "is already assigned to \(agent.user)") }
                let dept = agent.departments.contains(where: { $0 == t.department }) ? nil : agent.departments.first
                return one(.reassigned(agent: agent.user, department: dept, reason: reason))
            }
            if let dept = ctx.rules.department(named: target) {
                guard t.department != dept.name || t.assignee != nil else {
                    throw .nothingToDo(ticket: id, reason: "is already in \(dept.name), unassigned")
                }
                return one(.reassigned(agent: nil, department: dept.name, reason: reason))
            }
            throw .unknownDepartment(target)
        case .postpone(_, let until):
            try need(.postpone)
            try allow("postpone", [.new, .open, .answered, .postponed])
            guard until > ctx.now else {
                throw .invalidValue(field: "until", value: until.isoUTC, reason: "is not in the future")
            }
            // A customer left for years is a mistake (99999d), not a plan.
            guard until <= ctx.now + Commands.longestPostponement else {
                throw .invalidValue(field: "until", value: until.isoUTC, reason: "is more than a year ahead; postpone at most 365 days")
            }
            return one(.postponed(until: until))
        case .resolve:
            try need(.resolve)
            try allow("resolve", working)
            return one(.resolved)
        case .reopen:
            try need(.reopen)
            try allow("reopen", [.resolved])
            return one(.reopened)
        case .setPriority(_, let p):
            try need(.priority)
            try allow("change the priority of", working + [.resolved])
            guard p != t.priority else { throw .nothingToDo(ticket: id, reason: "priority is already \(p.name)") }
            return one(.priorityChanged(p))
        case .tag(_, let add, let remove):
            try need(.tag)
            try allow("tag", working + [.resolved])
            let a = try cleanTags(add).filter { !t.tags.contains($0) }
            let r = try cleanTags(remove).filter { t.tags.contains($0) }
            guard !a.isEmpty || !r.isEmpty else { throw .nothingToDo(ticket: id, reason: "tags are already so") }
            return one(.tagged(added: a, removed: r))
        case .claim:
            try need(.claim)
            try allow("claim", working)
            guard t.assignee != user else { throw .nothingToDo(ticket: id, reason: "is already assigned to \(user)") }
            if t.assignee != nil { try need(.reassignAny) }
            return one(.claimed)
        case .abandon(_, let reason):
            try need(.inbound)
            try allow("mark as abandoned", [.new, .open])
            return one(.abandoned(reason: reason.trimmingWhitespace()))
        case .setPresence, .editContact, .mergeContacts:
            fatalError("handled above")
        case .recordDelivery(_, let messageID, let step):
            guard let m = state.outgoing[messageID], m.ticket == id else {
                throw .invalidValue(field: "message", value: messageID, reason: "is not an email reply of \(id)")
            }
            if m.step == .sent { throw .nothingToDo(ticket: id, reason: "reply \(messageID) was already sent") }
            if step == .handing && m.step == .handing {
                throw .nothingToDo(ticket: id, reason: "reply \(messageID) is being handed over by another process, or its outcome is unknown")
            }
            return one(.delivery(messageID: messageID, step))
        }
    }

    static func freshID(_ state: DeskState, _ ctx: CommandContext) -> TicketID {
        var id = ctx.newTicketID()
        while state[id] != nil { id = ctx.newTicketID() }
        return id
    }

    /// Tags are lower-case words without spaces or commas.
    static func cleanTags(_ tags: [String]) throws(DomainError) -> [String] {
        var out: [String] = []
        for raw in tags {
            let t = raw.trimmingWhitespace().lowercased()
            guard !t.isEmpty, !t.contains(where: { $0.isWhitespace || $0 == "," || $0 == ":" }) else {
                throw .invalidValue(field: "tag", value: raw, reason: "tags are single words without spaces, commas or colons")
            }
            if !out.contains(t) { out.append(t) }
        }
        return out
    }
}
