/// What a new ticket starts with.
public struct TicketOpening: Hashable, Sendable {
    public var channel: Channel
    public var customer: Customer
    public var subject: String
    public var body: String
    public var priority: Priority
    public var department: String?
    /// The closed ticket this one continues (a message after closing starts a linked ticket).
    public var linkedFrom: TicketID?
    /// The intake queue it came in by (a mail alias's `--queue`, an Asterisk or chat queue).
    public var queue: String?

    public init(channel: Channel, customer: Customer, subject: String, body: String = "",
                priority: Priority = .normal, department: String? = nil, linkedFrom: TicketID? = nil, queue: String? = nil) {
        self.channel = channel
        self.customer = customer
        self.subject = subject
        self.body = body
        self.priority = priority
        self.department = department
        self.linkedFrom = linkedFrom
        self.queue = queue
    }
}

/// Each action on the desk is one event appended to the journal.
public enum EventKind: Hashable, Sendable {
    case created(TicketOpening)
    case customerMessage(body: String)
    case agentReply(body: String)
    case note(body: String)
    /// To an agent, a department, or both; `agent == nil` with a department moves it to the department's queue.
    case reassigned(agent: String?, department: String?, reason: String)
    case postponed(until: Instant)
    case resolved
    case reopened
    case priorityChanged(Priority)
    case tagged(added: [String], removed: [String])
    case claimed
    /// The customer left while waiting: a caller hung up in the phone queue, a chat visitor left
    /// before an agent answered. The ticket keeps its status (a missed call or chat to get back to).
    case abandoned(reason: String)
    /// An agent's availability changed (console, phone system). Not about a ticket: the event's
    /// ticket is `TicketID.desk`.
    case presence(agent: String, Presence)
    /// Something an outside system delivered (email, queue_log line, chat line): recorded once by
    /// its key. On `TicketID.desk` it is held apart (an auto-reply or bounce that matched no ticket).
    case intake(IntakeRecord)
    /// A step in handing an email reply to the mail system (the outbox).
    case delivery(messageID: String, DeliveryStep)
    /// A customer helped themselves (read a knowledge-base article, accepted a bot's answer): no
    /// ticket, counted for the deflection ratio. On `TicketID.desk`.
    case selfService(SelfServiceRecord)
    /// Files that came with the message or reply just before it in the same append (the entry it
    /// belongs to). The actor is who sent them: `customer`, an agent, or another sender's mailbox.
    case attached([AttachmentRef])
    /// Who else gets the ticket's mail (the Cc list): set from a customer's message, or by an agent
    /// editing a reply's recipients. Replies go to the customer and these addresses.
    case ccChanged([String])
    /// An agent edited a contact (name, groups, addresses, numbers) or merged two into one: the
    /// directory's card from now on. On `TicketID.desk`.
    case contactEdited(ContactEdit)
    /// The ticket's customer card changed with its contact (a group such as VIP now applies to its
    /// SLA and order; a fixed name). Its address stays the one the ticket writes to.
    case customerUpdated(Customer)
    /// A rule's own mark on a ticket (README: Automation): a time rule matched and acted, and does
    /// not act again until the ticket leaves its match (`rearmed`); or a rule asked for people's
    /// attention (an unread marker and the bell in their consoles). Not a change: it leaves the
    /// ticket's last-change time (`idle:`) as it was.
    case automation(rule: String, AutomationMark)
    /// A type this build does not know (written by a newer qdeck); kept, never applied.
    case unknown(type: UInt8, payload: [UInt8])

    /// Every kind by name: the list fixtures and round-trip tests iterate, so a new kind does not
    /// compile until it has a name, a codec, a fold and a fixture.
    public enum Name: String, CaseIterable, Sendable {
        case created, customerMessage = "customer-message", agentReply = "agent-reply", note, reassigned, postponed
        case resolved, reopened, priorityChanged = "priority", tagged, claimed, abandoned, presence, intake, delivery
        case selfService = "self-service", attached, ccChanged = "cc", contactEdited = "contact", customerUpdated = "customer", automation = "rule", unknown
    }

    public var kindName: Name {
        switch self {
        case .created: .created
        case .customerMessage: .customerMessage
        case .agentReply: .agentReply
        case .note: .note
        case .reassigned: .reassigned
        case .postponed: .postponed
        case .resolved: .resolved
        case .reopened: .reopened
        case .priorityChanged: .priorityChanged
        case .tagged: .tagged
        case .claimed: .claimed
        case .abandoned: .abandoned
        case .presence: .presence
        case .intake: .intake
        case .delivery: .delivery
        case .selfService: .selfService
        case .attached: .attached
        case .ccChanged: .ccChanged
        case .contactEdited: .contactEdited
        case .customerUpdated: .customerUpdated
        case .automation: .automation
        case .unknown: .unknown
        }
    }

    /// Stable names used in `log dump`.
    public var name: String { kindName.rawValue }
}

/// What a rule marked on a ticket.
public enum AutomationMark: Hashable, Sendable {
    /// A time rule matched the ticket and acted.
    case matched
    /// The ticket left a time rule's match: the rule may act again when it matches again.
    case rearmed
    /// These agents are asked to look at the ticket.
    case notified([String])
}

public struct Event: Hashable, Sendable {
    public var ticket: TicketID
    public var at: Instant
    /// Who did it: an agent's user name, `customer`, or `system`.
    public var actor: String
    public var kind: EventKind

    public init(ticket: TicketID, at: Instant, actor: String, kind: EventKind) {
        self.ticket = ticket
        self.at = at
        self.actor = actor
        self.kind = kind
    }
}

/// An event as the journal stored it: its global sequence number and the ticket's version after it.
public struct StoredEvent: Hashable, Sendable {
    public var seq: UInt64
    public var version: UInt32
    public var event: Event
    public init(seq: UInt64, version: UInt32, event: Event) {
        self.seq = seq
        self.version = version
        self.event = event
    }
}

/// The events a command decided on, with the ticket versions it saw. The journal refuses the append
/// when a ticket has moved on since (someone else changed it).
public struct Decision: Sendable {
    public var events: [Event]
    public var expectedVersions: [TicketID: UInt32]
    public init(events: [Event], expectedVersions: [TicketID: UInt32]) {
        self.events = events
        self.expectedVersions = expectedVersions
    }
}
