/// The folded state of the desk: every ticket as of the last applied event. Equality is
/// synthesised over every stored field (what the snapshot round-trip compares).
public struct DeskState: Sendable, Equatable {
    /// Every ticket in creation order: passes over the desk walk memory in order, which keeps a
    /// scan of 100,000 tickets several times faster than visiting a dictionary in hash order.
    public private(set) var all: [Ticket] = []
    private var positions: [TicketID: Int] = [:]
    public private(set) var lastSeq: UInt64 = 0
    /// Tickets of each customer (by contact key), oldest first: the customer card's "other tickets".
    public private(set) var ticketsByContact: [String: [TicketID]] = [:]
    /// The newest ticket of a customer with both an address and a phone number, by the number
    /// (`Customer.phoneNumber`): a caller is matched to the contact who mailed. (A customer with only a
    /// number is found by its contact key.) Derived from the tickets, the same whatever the order
    /// they were indexed in, so a snapshot need not keep it.
    public private(set) var latestTicketByPhone: [UInt64: TicketID] = [:]
    /// Events that could not be applied (unknown type, or a ticket lost to a repaired range).
    public private(set) var skippedEvents: Int = 0
    /// Each agent's last presence event.
    public private(set) var presence: [String: PresenceRecord] = [:]
    /// Every intake record's key and the ticket it went to (`TicketID.desk` when held apart): a
    /// second delivery of the same message or line is recognised by it.
    public private(set) var intakeKeys: [String: TicketID] = [:]
    /// Outside names of tickets (Message-IDs in and out, call IDs, chat sessions) for threading.
    public private(set) var aliases: [String: TicketID] = [:]
    /// Each ticket's Message-IDs in order, in and out: the References of a reply.
    public private(set) var mailThreads: [TicketID: [String]] = [:]
    /// Email replies by Message-ID, with where their hand-over stands.
    public private(set) var outgoing: [String: OutgoingMail] = [:]
    /// Automatic mail that matched no ticket.
    public private(set) var held: [HeldRecord] = []
    /// Strangers' mail on tickets, oldest first, until an agent accepts it.
    public private(set) var awaiting: [AwaitingMail] = []
    /// Self-service interactions in journal order: when, and who (`SelfServiceRecord.userKey`).
    public private(set) var selfService: [SelfServiceUse] = []
    /// Contact cards agents edited, by primary identity key (README: Contacts).
    public private(set) var contactCards: [String: ContactCard] = [:]
    /// Identity keys (addresses, `tel:` numbers) that belong to an edited card, to its primary key.
    public private(set) var contactAliases: [String: String] = [:]
    /// The journal's version of the desk's own events (presence, held mail), as of the last one.
    public private(set) var deskVersion: UInt32 = 0
    /// The quiet period after which resolved tickets close; fixed for a fold.
    public let autoCloseAfter: Millis

    public init(autoCloseAfter: Millis) { self.autoCloseAfter = autoCloseAfter }

    /// A desk restored from a snapshot: the same state a replay up to `lastSeq` folds.
    package init(autoCloseAfter: Millis, tickets: [Ticket], lastSeq: UInt64, ticketsByContact: [String: [TicketID]],
                 skippedEvents: Int, presence: [String: PresenceRecord], intakeKeys: [String: TicketID],
                 aliases: [String: TicketID], mailThreads: [TicketID: [String]], outgoing: [String: OutgoingMail],
                 held: [HeldRecord], awaiting: [AwaitingMail], selfService: [SelfServiceUse], deskVersion: UInt32,
                 contactCards: [String: ContactCard], contactAliases: [String: String]) {
        self.autoCloseAfter = autoCloseAfter
        all = tickets
        positions.reserveCapacity(tickets.count)
        for (i, t) in tickets.enumerated() {
            positions[t.id] = i
            indexPhone(t, newest: true)  // in creation order: each is the newest so far
        }
        self.lastSeq = lastSeq
        self.ticketsByContact = ticketsByContact
        self.skippedEvents = skippedEvents
        self.presence = presence
        self.intakeKeys = intakeKeys
        self.aliases = aliases
        self.mailThreads = mailThreads
        self.outgoing = outgoing
        self.held = held
        self.selfService = selfService
        self.awaiting = awaiting
        self.deskVersion = deskVersion
        self.contactCards = contactCards
        self.contactAliases = contactAliases
    }

    /// A desk of a few tickets as they stand, for trying events on them (rules at work) without a
    /// copy of every ticket.
    static func scratch(_ tickets: [Ticket], presence: [String: PresenceRecord], autoCloseAfter: Millis) -> DeskState {
        var s = DeskState(autoCloseAfter: autoCloseAfter)
        for t in tickets { s.adopt(t) }
        s.presence = presence
        return s
    }

    /// Takes a ticket as it stands into a scratch desk.
    mutating func adopt(_ t: Ticket) {
        guard positions[t.id] == nil else { return }
        positions[t.id] = all.count
        all.append(t)
    }

    public subscript(id: TicketID) -> Ticket? { positions[id].map { all[$0] } }
    public var count: Int { all.count }

    public func ticket(_ id: TicketID) throws(DomainError) -> Ticket {
        guard let t = self[id] else { throw .unknownTicket(id.description) }
        return t
    }

    public func otherTickets(of t: Ticket) -> [TicketID] {
        (ticketsByContact[t.customer.contactKey] ?? []).filter { $0 != t.id }
    }

    public mutating func apply(_ events: some Sequence<StoredEvent>) {
        for e in events { apply(e) }
    }

    /// Folds one stored event into the state. Total: an event that does not fit is counted, never fatal.
    public mutating func apply(_ stored: StoredEvent) {
        lastSeq = max(lastSeq, stored.seq)
        let e = stored.event
        if e.ticket == .desk {
            deskVersion = stored.version
            switch e.kind {
            case .presence(let agent, let p): presence[agent] = PresenceRecord(presence: p, since: e.at)
            case .intake(let r):
                intakeKeys[r.key] = .desk
                held.append(HeldRecord(at: e.at, record: r))
            case .contactEdited(let edit): noteContact(edit)
            case .selfService(let r):
                guard intakeKeys[r.key] == nil else { skippedEvents += 1; return }
                intakeKeys[r.key] = .desk
                selfService.append(SelfServiceUse(at: e.at, user: r.userKey))
            case .created, .customerMessage, .agentReply, .note, .reassigned, .postponed, .resolved, .reopened, .priorityChanged,
                 .tagged, .claimed, .abandoned, .delivery, .attached, .ccChanged, .customerUpdated, .automation, .unknown:
                skippedEvents += 1  // only presence and held intake records belong to the desk itself
            }
            return
        }
        if case .created(let opening) = e.kind {
            guard positions[e.ticket] == nil else { skippedEvents += 1; return }
            let t = Ticket(id: e.ticket, opening: opening, at: e.at, actor: e.actor, version: stored.version, slot: all.count)
            positions[e.ticket] = all.count
            all.append(t)
            ticketsByContact[t.customer.contactKey, default: []].append(t.id)
            indexPhone(t, newest: true)
            if let prev = opening.linkedFrom, let p = positions[prev] { all[p].linkedTo = e.ticket }
            return
        }
        guard let index = positions[e.ticket] else { skippedEvents += 1; return }
        switch e.kind {
        case .intake(let r):
            noteIntake(r, ticket: e.ticket)
            noteAwaiting(r, ticket: e.ticket, at: e.at)
            if r.kind == .accepted { giveAddress(r.sender, to: index) }
        case .delivery(let id, let step): noteDelivery(id, step, ticket: all[index], at: e.at, actor: e.actor)
        case .customerUpdated(let c): reindex(index, as: c)
        case .created, .customerMessage, .agentReply, .note, .reassigned, .postponed, .resolved, .reopened, .priorityChanged,
             .tagged, .claimed, .abandoned, .presence, .selfService, .attached, .ccChanged, .contactEdited, .automation, .unknown:
            break  // no desk-wide index to keep
        }
        // Mutate in place: no copy of the ticket, one hash lookup.
        if Lifecycle.apply(e, to: &all[index], autoCloseAfter: autoCloseAfter) {
            all[index].version = stored.version
            // A rule's mark is bookkeeping, not a change: `idle:` keeps counting through it.
            if case .automation = e.kind {} else {
                all[index].updatedAt = e.at
                all[index].lastActor = e.actor
            }
        } else {
            // Still the ticket's version in the journal: the next command on it must expect it.
            all[index].version = stored.version
            skippedEvents += 1
        }
    }

    /// Where a reply goes: the address it was queued to, else (queued to nobody) the customer's now.
    public func recipient(of m: OutgoingMail) -> String {
        m.to.isEmpty ? (self[m.ticket]?.customer.email ?? "") : m.to
    }

    /// The outbox: replies not (known to be) handed over, oldest first.
    public var outbox: [OutgoingMail] {
        outgoing.values.filter(\.inOutbox).sorted { ($0.queuedAt, $0.messageID) < ($1.queuedAt, $1.messageID) }
    }

    /// A stranger's message waits on its ticket until an agent accepts it.
    private mutating func noteAwaiting(_ r: IntakeRecord, ticket: TicketID, at: Instant) {
        switch r.kind {
        case .stranger: awaiting.append(AwaitingMail(ticket: ticket, at: at, record: r))
        case .accepted: awaiting.removeAll { "accepted:" + $0.record.key == r.key }
        case .mail, .autoReply, .bounce, .unreadable, .call, .chat: break
        }
    }

    /// A customer who had no email address takes the one an agent accepted mail from (so a reply
    /// kept undeliverable can go out: `qdeck outbox --retry`). One who has an address keeps it.
    private mutating func giveAddress(_ address: String, to index: Int) {
        guard !address.isEmpty, (all[index].customer.email ?? "").isEmpty else { return }
        let id = all[index].id
        let oldKey = all[index].customer.contactKey
        ticketsByContact[oldKey]?.removeAll { $0 == id }
        if ticketsByContact[oldKey]?.isEmpty == true { ticketsByContact[oldKey] = nil }
        all[index].customer.email = address
        ticketsByContact[all[index].customer.contactKey, default: []].append(id)
        indexPhone(all[index])
    }

    /// A ticket's customer card is about to change: its indexes follow (the card itself changes in
    /// the lifecycle, with its history).
    private mutating func reindex(_ index: Int, as c: Customer) {
        let id = all[index].id
        let oldKey = all[index].customer.contactKey
        guard oldKey != c.contactKey || all[index].customer.phone != c.phone else { return }
        ticketsByContact[oldKey]?.removeAll { $0 == id }
        if ticketsByContact[oldKey]?.isEmpty == true { ticketsByContact[oldKey] = nil }
        ticketsByContact[c.contactKey, default: []].append(id)
        var t = all[index]
        t.customer = c
        indexPhone(t)
    }

    /// An edited card replaces the one under its key; merged cards' keys become its aliases.
    private mutating func noteContact(_ edit: ContactEdit) {
        for m in edit.merged where m != edit.key {
            if let old = contactCards.removeValue(forKey: m) { for k in old.keys where k != edit.key { contactAliases[k] = edit.key } }
            contactAliases[m] = edit.key
        }
        for (alias, primary) in contactAliases where edit.merged.contains(primary) { contactAliases[alias] = edit.key }
        // The card is whole: an identity it no longer lists (and did not merge) is no longer its.
        let keep = Set(edit.card.keys + edit.merged)
        for (alias, primary) in contactAliases where primary == edit.key && !keep.contains(alias) { contactAliases[alias] = nil }
        contactCards[edit.key] = edit.card
        contactAliases[edit.key] = nil
        for k in edit.card.keys where k != edit.key { contactAliases[k] = edit.key }
    }

    /// The edited card an identity key belongs to, if an agent edited it.
    public func contactCard(for key: String) -> ContactCard? {
        contactCards[contactAliases[key] ?? key]
    }

    /// `newest`: no ticket indexed so far is newer than `t` (it is being created, or tickets are
    /// indexed in creation order), so no comparison is needed.
    private mutating func indexPhone(_ t: Ticket, newest: Bool = false) {
        let c = t.customer
        guard let phone = c.phone, let address = c.email, !address.isEmpty, let k = Customer.phoneNumber(phone) else { return }
        if !newest, let other = latestTicketByPhone[k], let o = positions[other], o > t.slot { return }
        latestTicketByPhone[k] = t.id
    }

    /// Strangers' messages waiting on one ticket.
    public func awaiting(on id: TicketID) -> [AwaitingMail] { awaiting.filter { $0.ticket == id } }

    private mutating func noteIntake(_ r: IntakeRecord, ticket: TicketID) {
        intakeKeys[r.key] = ticket
        for a in r.aliases {
            if aliases[a] == nil { aliases[a] = ticket }
            if a.hasPrefix("<") { mailThreads[ticket, default: []].append(a) }
        }
    }

    private mutating func noteDelivery(_ id: String, _ step: DeliveryStep, ticket t: Ticket, at: Instant, actor: String) {
        if case .queued(let to, let cc) = step {
            // Written in the same batch as the reply, so the reply is the ticket's last entry.
            let index = t.entries.lastIndex { $0.kind == .reply }
            let reply = index.map { t.entries[$0] }
            let files = t.attachments.filter { $0.entry == index }.map(\.file)
            outgoing[id] = OutgoingMail(messageID: id, ticket: t.id, to: to, cc: cc, body: reply?.body ?? "", attachments: files,
                                        author: reply?.author ?? actor, queuedAt: at, step: step, stepAt: at, attempts: 0, lastError: nil)
            if aliases[id] == nil { aliases[id] = t.id }
            mailThreads[t.id, default: []].append(id)
            return
        }
        guard var m = outgoing[id] else { return }
        m.step = step
        m.stepAt = at
        if step == .handing { m.attempts += 1 }
        if case .failed(let err) = step { m.lastError = err }
        outgoing[id] = m
    }
}
