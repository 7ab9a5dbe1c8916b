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
/// Kept structured (replay builds no strings); `text` words it for people.
public struct HistoryEntry: Hashable, Sendable {
    public var at: Instant
    public var actor: String
    public var change: Change

    public enum Change: Hashable, Sendable {
        case created(Channel, Priority)
        case status(from: TicketStatus, to: TicketStatus, why: StatusReason)
        case reassigned(fromAgent: String?, toAgent: String?, fromDepartment: String?, toDepartment: String?, reason: String)
        case claimed(from: String?)
        case priority(from: Priority, to: Priority)
        case tags(added: [String], removed: [String])
    }

    public enum StatusReason: Hashable, Sendable {
        case customerWrote, agentReplied, postponed(until: Instant), resolved, reopened, wokeUp, quietPeriodOver
    }

    public var text: String {
        switch change {
        case .created(let c, let p): return "created (\(c.rawValue), \(p.name))"
        case .status(let from, let to, let why):
            let reason: String? = switch why {
            case .customerWrote: "customer wrote"
            case .agentReplied: "agent replied"
            case .postponed(let until): "until \(until.isoUTC)"
            case .resolved: nil
            case .reopened: "reopened"
            case .wokeUp: "woke up"
            case .quietPeriodOver: "quiet period over"
            }
            return "status \(from.rawValue) → \(to.rawValue)" + (reason.map { " (\($0))" } ?? "")
        case .reassigned(let fa, let ta, let fd, let td, let reason):
            var parts: [String] = []
            if fa != ta { parts.append("assignee \(fa ?? "none") → \(ta ?? "none")") }
            if let td, td != fd { parts.append("department \(fd ?? "none") → \(td)") }
            return "reassigned: " + parts.joined(separator: ", ") + (reason.isEmpty ? "" : " (\(reason))")
        case .claimed(let from): return "claimed (assignee \(from ?? "none") → \(actor))"
        case .priority(let a, let b): return "priority \(a.name) → \(b.name)"
        case .tags(let added, let removed): return "tags " + (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " ")
        }
    }
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
    /// Bytes (UTF-8) the customer wrote: the "size of the ask" for easiest-first ordering.
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
        self.history = [HistoryEntry(at: at, actor: actor, change: .created(o.channel, o.priority))]
        self.runLog = [RunInterval(start: at, end: nil)]
        self.responses = []
        self.customerChars = o.subject.utf8.count + o.body.utf8.count
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
