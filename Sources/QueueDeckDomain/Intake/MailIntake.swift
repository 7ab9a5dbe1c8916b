/// An email as intake sees it, already decoded (QueueDeckMail parses; the domain decides).
public struct MailArrival: Sendable {
    /// `mail:<Message-ID>|<digest of sender, subject and text>` (a Message-ID reused for another
    /// message is not a duplicate), or a digest of the raw bytes when there is no Message-ID.
    public var key: String
    /// The key journals written before content-aware keys gave this message (`mail:<Message-ID>`):
    /// still a duplicate there, since their content is unknown.
    public var legacyKey: String?
    public var messageID: String?
    /// The customer the message gives: its name, and the address answers go to (Reply-To, else From).
    public var from: Customer?
    /// Who wrote it: the From header's `Name <address>`, and that address alone (lowercased when
    /// compared); what decides whether the writer is the ticket's customer.
    public var author: String
    public var authorAddress: String
    /// The Reply-To address as written (shown, not obeyed, when it differs from the writer's).
    public var replyTo: String
    public var subject: String
    public var text: String
    /// The files that came with it (kept in the blob store unless over the desk's size limit).
    public var attachments: [AttachmentRef]
    /// The Cc header's addresses (the desk's own left out): who else the customer wants answered.
    public var cc: [String]
    /// In-Reply-To first, then References newest first: where to look for the thread.
    public var threadIDs: [String]
    public var automatic: IntakeKind?
    /// For a bounce: the returned message's IDs and the report.
    public var bouncedIDs: [String]
    public var report: String
    /// Problems met reading it; non-empty flags the message.
    public var problems: [String]
    /// The raw message as text, kept only when it is flagged.
    public var raw: String
    /// The intake queue named by the MTA alias (`--queue`).
    public var queue: String?
    /// Mail from a list or a bulk sender (`List-Id`, `List-Unsubscribe`): a ticket, tagged `bulk`,
    /// that no automatic reply answers (RFC 3834).
    public var bulk: Bool

    public init(key: String, legacyKey: String? = nil, messageID: String? = nil, from: Customer?, author: String? = nil, authorAddress: String? = nil, replyTo: String = "",
                subject: String, text: String, attachments: [AttachmentRef] = [], cc: [String] = [],
                threadIDs: [String] = [], automatic: IntakeKind? = nil, bouncedIDs: [String] = [], report: String = "",
                problems: [String] = [], raw: String = "", queue: String? = nil, bulk: Bool = false) {
        self.key = key
        self.legacyKey = legacyKey
        self.messageID = messageID
        self.from = from
        self.authorAddress = authorAddress ?? from?.email ?? ""
        self.replyTo = replyTo
        self.author = author ?? from.map { c in c.email.map { c.name == $0 || c.name.isEmpty ? $0 : "\(c.name) <\($0)>" } ?? c.name } ?? "unknown sender"
        self.subject = subject
        self.text = text
        self.attachments = attachments
        self.cc = cc
        self.threadIDs = threadIDs
        self.automatic = automatic
        self.bouncedIDs = bouncedIDs
        self.report = report
        self.problems = problems
        self.raw = raw
        self.queue = queue
        self.bulk = bulk
    }
}

extension Intake {
    /// Whether the message's author (its From address) is the ticket's customer.
    static func isCustomer(_ m: MailArrival, of ticket: Ticket) -> Bool {
        guard let mine = ticket.customer.email, !mine.isEmpty, !m.authorAddress.isEmpty else { return false }
        return mine.lowercased() == m.authorAddress.lowercased()
    }

    /// Whether the author is on the ticket's Cc list: their mail threads in as theirs.
    static func isCopied(_ m: MailArrival, on ticket: Ticket) -> Bool {
        !m.authorAddress.isEmpty && ticket.cc.contains { $0.lowercased() == m.authorAddress.lowercased() }
    }

    /// Threads an email into the desk (README.md, "Intake and replies out"): the ticket ID in the subject, else
    /// In-Reply-To / References; a customer message reopens answered/postponed/resolved tickets and
    /// starts a linked ticket after closing; auto-replies and bounces never change a ticket.
    public static func mail(_ m: MailArrival, state: DeskState, now: Instant, rules: DeskRules,
                            newID: () -> TicketID) -> IntakeOutcome {
        if let seen = state.intakeKeys[m.key] ?? m.legacyKey.flatMap({ state.intakeKeys[$0] }) { return .nothing(.duplicate(seen)) }
        let flagged = !m.problems.isEmpty
        var target: TicketID?
        if let id = ticketID(inSubject: m.subject), state[id] != nil { target = id }
        if target == nil {
            for ref in m.threadIDs + m.bouncedIDs { if let t = state.aliases[ref], t != .desk { target = t; break } }
        }
        var details: [String] = []
        // Who wrote it (From), and where answers go when that differs (Reply-To): never the reverse.
        var from = "from \(m.author)"
        if let to = m.from?.email, !to.isEmpty, to.lowercased() != m.authorAddress.lowercased() { from += " (answers to \(to))" }
        else if !m.replyTo.isEmpty, m.replyTo.lowercased() != m.authorAddress.lowercased() { from += " (asks for answers at \(m.replyTo); not used: answers go to the writer)" }
        details.append(from)
        if let mid = m.messageID { details.append(mid) }
        if !m.attachments.isEmpty { details.append("attachments: " + m.attachments.map(\.summary).joined(separator: ", ")) }
        if !m.cc.isEmpty { details.append("cc: " + m.cc.joined(separator: ", ")) }
        if flagged { details.append("PROBLEMS: " + m.problems.joined(separator: "; ")) }
        let aliases = m.messageID.map { [$0] } ?? []

        // Loops and noise: attach to the ticket or hold apart; never a status change.
        if let auto = m.automatic {
            var summary = auto == .bounce ? "bounce: a message did not arrive" : "automatic reply: \(m.subject)"
            if !m.report.isEmpty { summary += " (\(m.report))" }
            let r = IntakeRecord(key: m.key, kind: auto, summary: ([summary] + details).joined(separator: " · "), body: m.text, aliases: [])
            guard let t = target else {
                return IntakeOutcome(result: .held, decision: Decision(events: [event(.desk, now, "system", .intake(r))], expectedVersions: [:]))
            }
            return IntakeOutcome(result: .attached(t), decision: Decision(events: [event(t, now, "system", .intake(r))], expectedVersions: [:]))
        }

        let kind: IntakeKind = flagged ? .unreadable : .mail
        let record = IntakeRecord(key: m.key, kind: kind, summary: "✉ " + details.joined(separator: " · "),
                                  body: flagged ? "── raw message ──\n" + m.raw : "", aliases: aliases)
        var body = m.text.trimmingWhitespace()
        if body.isEmpty { body = m.attachments.isEmpty ? "(no text)" : "(no text; see the attachments)" }
        let customer = known(m.from ?? Customer(name: "unknown sender"), in: state)
        let subject = m.subject.trimmingWhitespace().isEmpty ? "(no subject)" : m.subject.trimmingWhitespace()
        // A ticket's own tags that its mail brings: unreadable (flagged), bulk (a list's mail).
        let tags = (flagged ? ["unreadable"] : []) + (m.bulk ? [Automation.bulkTag] : [])
        let flag = { (id: TicketID) in event(id, now, "system", .tagged(added: tags, removed: [])) }
        /// The tags an existing ticket lacks.
        let flagOn = { (t: Ticket) -> [Event] in
            let missing = tags.filter { !t.tags.contains($0) }
            return missing.isEmpty ? [] : [event(t.id, now, "system", .tagged(added: missing, removed: []))]
        }

        let files = { (id: TicketID, actor: String) in m.attachments.isEmpty ? [] : [event(id, now, actor, .attached(m.attachments))] }
        // The customer's latest message says who else is in the conversation (reply-all): a message
        // without Cc copies nobody from then on.
        let copies = { (id: TicketID, current: [String]) in
            m.cc == current ? [] : [event(id, now, "customer", .ccChanged(m.cc))]
        }

        // Someone on the ticket's Cc list: their mail is part of the conversation, as theirs.
        if let t = target, let ticket = state[t], !isCustomer(m, of: ticket), isCopied(m, on: ticket),
           ticket.status(at: now, autoCloseAfter: rules.autoCloseAfter) != .closed {
            let actor = Lifecycle.senderPrefix + m.author
            let events = [event(t, now, actor, .customerMessage(body: body))] + files(t, actor) + [event(t, now, "system", .intake(record))]
                + flagOn(ticket)
            return IntakeOutcome(result: .threaded(t), decision: Decision(events: events, expectedVersions: [t: ticket.version]), flagged: flagged)
        }

        // Someone other than the ticket's customer writing into it (a ticket ID in a subject is
        // easy to copy): shown as from its real sender, changing nothing until an agent accepts it.
        if let t = target, let ticket = state[t], !isCustomer(m, of: ticket) {
            let owner = ticket.customer.email.map { "\(ticket.customer.name) <\($0)>" } ?? ticket.customer.name
            let summary = (["⚠ ✉ from \(m.author): NOT this ticket's customer (\(owner)); changes nothing until an agent accepts it (qdeck accept \(t))"]
                + details.dropFirst()).joined(separator: " · ")
            let r = IntakeRecord(key: m.key, kind: .stranger, summary: summary, body: body + (flagged ? "\n── raw message ──\n" + m.raw : ""),
                                 sender: m.author)
            // Their files come after the record, so they belong to it (not to the customer's last message).
            let events = [event(t, now, "system", .intake(r))] + files(t, m.author)
            return IntakeOutcome(result: .awaiting(t), decision: Decision(events: events, expectedVersions: m.attachments.isEmpty ? [:] : [t: ticket.version]),
                                 flagged: flagged)
        }

        if let t = target, let ticket = state[t] {
            if ticket.status(at: now, autoCloseAfter: rules.autoCloseAfter) == .closed {
                let id = freshID(state, newID)
                let o = TicketOpening(channel: .email, customer: ticket.customer, subject: ticket.subject, body: body,
                                      priority: ticket.priority, department: ticket.department, linkedFrom: t, queue: ticket.queue)
                var events = [event(id, now, "customer", .created(o))] + copies(id, []) + files(id, "customer") + [event(id, now, "system", .intake(record))]
                if !tags.isEmpty { events.append(flag(id)) }
                return IntakeOutcome(result: .linked(id, from: t), decision: Decision(events: events, expectedVersions: [id: 0]), flagged: flagged)
            }
            var events = [event(t, now, "customer", .customerMessage(body: body))] + copies(t, ticket.cc) + files(t, "customer")
                + [event(t, now, "system", .intake(record))]
            events += flagOn(ticket)
            return IntakeOutcome(result: .threaded(t), decision: Decision(events: events, expectedVersions: [t: ticket.version]), flagged: flagged)
        }
        let id = freshID(state, newID)
        let o = TicketOpening(channel: .email, customer: customer, subject: subject, body: body,
                              department: rules.department(forQueue: m.queue), queue: m.queue)
        var events = [event(id, now, "customer", .created(o))] + copies(id, []) + files(id, "customer") + [event(id, now, "system", .intake(record))]
        if !tags.isEmpty { events.append(flag(id)) }
        return IntakeOutcome(result: .created(id), decision: Decision(events: events, expectedVersions: [id: 0]), flagged: flagged)
    }
}
