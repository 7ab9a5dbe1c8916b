public enum EntryKind: String, Sendable, Hashable {
    case customer, reply, note
}

/// One item of the conversation: a customer message, an agent reply, or an internal note.
public struct ConversationEntry: Hashable, Sendable {
    public var kind: EntryKind
    public var author: String
    public var at: Instant
    public var body: String
}

/// One change of status, assignment, priority, tags or schedule, with who did it and when.
public struct HistoryEntry: Hashable, Sendable {
    public var at: Instant
    public var actor: String
    public var change: String
}

/// A period in which the SLA clock ran (status new or open). `end == nil` means it still runs.
public struct RunInterval: Hashable, Sendable {
    public var start: Instant
    public var end: Instant?
}

/// A period in which the customer waited for a reply; closed by an agent reply.
public struct ResponseWindow: Hashable, Sendable {
    public var from: Instant
    public var to: Instant
    public var first: Bool
}

public struct Ticket: Hashable, Sendable {
    public var id: TicketID
    public var version: UInt32
    public var channel: Channel
    public var customer: Customer
    public var subject: String
    public var priority: Priority
    public var department: String?
    public var assignee: String?
    public var tags: [String]
    /// The status as last written by an event; see `status(at:rules:)` for wake-up and auto-close.
    public var storedStatus: TicketStatus
    public var postponedUntil: Instant?
    public var resolvedAt: Instant?
    public var createdAt: Instant
    public var updatedAt: Instant
    public var lastActor: String
    public var everAnswered: Bool
    public var firstResponseAt: Instant?
    /// The customer has waited for the desk since then (nil when the ball is in the customer's court).
    public var waitingSince: Instant?
    public var lastCustomerMessageAt: Instant
    public var linkedFrom: TicketID?
    public var linkedTo: TicketID?
    public var entries: [ConversationEntry]
    public var history: [HistoryEntry]
    public var runLog: [RunInterval]
    public var responses: [ResponseWindow]
    /// Characters the customer wrote: the "size of the ask" for easiest-first ordering.
    public var customerChars: Int

    init(id: TicketID, opening o: TicketOpening, at: Instant, actor: String, version: UInt32) {
        self.id = id
        self.version = version
        self.channel = o.channel
        self.customer = o.customer
        self.subject = o.subject
        self.priority = o.priority
        self.department = o.department
        self.assignee = nil
        self.tags = []
        self.storedStatus = .new
        self.createdAt = at
        self.updatedAt = at
        self.lastActor = actor
        self.everAnswered = false
        self.waitingSince = at
        self.lastCustomerMessageAt = at
        self.linkedFrom = o.linkedFrom
        self.entries = o.body.isEmpty ? [] : [ConversationEntry(kind: .customer, author: o.customer.name, at: at, body: o.body)]
        self.history = [HistoryEntry(at: at, actor: actor, change: "created (\(o.channel.rawValue), \(o.priority.name))")]
        self.runLog = [RunInterval(start: at, end: nil)]
        self.responses = []
        self.customerChars = o.subject.count + o.body.count
    }

    /// The status at `now`: a postponed ticket whose time has come is awake again, and a resolved
    /// ticket past the quiet period is closed. No event is needed for either.
    public func status(at now: Instant, autoCloseAfter: Millis) -> TicketStatus {
        switch storedStatus {
        case .postponed:
            if let until = postponedUntil, until <= now { return wakeStatus }
            return .postponed
        case .resolved:
            if let r = resolvedAt, r + autoCloseAfter <= now { return .closed }
            return .resolved
        default:
            return storedStatus
        }
    }

    /// Where a postponed ticket returns to: open, or new if nobody ever answered it.
    var wakeStatus: TicketStatus { everAnswered ? .open : .new }

    public var messageCount: Int { entries.reduce(0) { $0 + ($1.kind == .note ? 0 : 1) } }
}
