/// What intake decided for one delivery: the events to append, and what to tell the sender.
public struct IntakeOutcome: Sendable {
    public enum Result: Hashable, Sendable {
        /// A new ticket.
        case created(TicketID)
        /// Added to an existing ticket (a customer's reply, a call's next step).
        case threaded(TicketID)
        /// The ticket was closed: a new ticket linked to it.
        case linked(TicketID, from: TicketID)
        /// An automatic message attached to its ticket without changing it.
        case attached(TicketID)
        /// A message from someone other than the ticket's customer, waiting for an agent to accept it.
        case awaiting(TicketID)
        /// An automatic message that matched no ticket, kept apart.
        case held
        /// Stored for the desk's figures, no ticket (a self-service interaction).
        case recorded
        /// Seen before (same key): nothing appended.
        case duplicate(TicketID)
        /// Understood and deliberately not recorded (an event type with no meaning for the desk).
        case ignored(String)
    }
    public var result: Result
    public var decision: Decision
    /// The message could not be read properly and was flagged.
    public var flagged: Bool = false

    static func nothing(_ r: Result) -> IntakeOutcome { IntakeOutcome(result: r, decision: Decision(events: [], expectedVersions: [:])) }

    public var ticket: TicketID? {
        switch result {
        case .created(let t), .threaded(let t), .attached(let t), .awaiting(let t), .duplicate(let t): t
        case .linked(let t, _): t
        case .held, .recorded, .ignored: nil
        }
    }
}

/// The one place intake decides: pure functions of a delivery and the desk state.
public enum Intake {
    /// The existing customer with this contact key, or else with this phone number (a caller who
    /// mailed before: one card, both tickets), their groups and address kept; else `fresh`.
    static func known(_ fresh: Customer, in state: DeskState) -> Customer {
        let byPhone = fresh.email == nil ? fresh.phoneNumber.flatMap { state.latestTicketByPhone[$0] } : nil
        var c = fresh
        if let id = byPhone ?? state.ticketsByContact[fresh.contactKey]?.last, let t = state[id] {
            c = t.customer
            if c.email == nil { c.email = fresh.email }
            if c.phone == nil { c.phone = fresh.phone }
            if c.name.isEmpty || c.name == c.email || c.name == c.phone, !fresh.name.isEmpty { c.name = fresh.name }
        }
        // What agents set on the contact wins: its name and groups (a VIP's new mail is a VIP's).
        guard !state.contactCards.isEmpty, let card = (fresh.identityKeys + c.identityKeys).lazy.compactMap({ state.contactCard(for: $0) }).first else { return c }
        c.name = card.name
        c.groups = card.groups
        if c.phone == nil { c.phone = card.phones.first }
        if c.email == nil { c.email = card.emails.first }
        return c
    }

    /// A ticket ID in brackets anywhere in a subject: `Re: Refund [ABC-DEFGH-JKL]`.
    public static func ticketID(inSubject s: String) -> TicketID? {
        let chars = Array(s.utf8)
        guard chars.count >= 15 else { return nil }
        var i = 0
        while i + 14 < chars.count {
            if chars[i] == UInt8(ascii: "["), chars[i + 14] == UInt8(ascii: "]"),
               let id = TicketID(String(decoding: chars[(i + 1)..<(i + 14)], as: UTF8.self)) {
                return id
            }
            i += 1
        }
        return nil
    }

    static func event(_ id: TicketID, _ at: Instant, _ actor: String, _ kind: EventKind) -> Event {
        Event(ticket: id, at: at, actor: actor, kind: kind)
    }

    static func freshID(_ state: DeskState, _ newID: () -> TicketID) -> TicketID {
        var id = newID()
        while state[id] != nil || id == .desk { id = newID() }
        return id
    }
}
