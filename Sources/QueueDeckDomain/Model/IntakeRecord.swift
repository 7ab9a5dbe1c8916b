/// What an intake record stands for.
public enum IntakeKind: UInt8, Sendable, Hashable, CaseIterable {
    /// A customer's email (its text is in the created / customer-message event beside it).
    case mail = 1
    /// An out-of-office or other automatic reply: kept, never reopens, never answered.
    case autoReply = 2
    /// A delivery status notification (a reply of ours that did not arrive).
    case bounce = 3
    /// A message that could not be read properly: kept raw, with the problem, and flagged.
    case unreadable = 4
    /// A phone-system event (queue_log line).
    case call = 5
    /// A chat-system event (transcript line).
    case chat = 6
    /// Mail into a ticket from someone who is not its customer: shown as from its real sender,
    /// changing nothing until an agent accepts it.
    case stranger = 7
    /// An agent accepted a stranger's message as the customer's (its key: `accepted:` + the message's).
    case accepted = 8

    public var name: String {
        switch self {
        case .mail: "email"
        case .autoReply: "auto-reply"
        case .bounce: "bounce"
        case .unreadable: "unreadable email"
        case .call: "call"
        case .chat: "chat"
        case .stranger: "mail from another sender"
        case .accepted: "accepted mail"
        }
    }
}

/// One thing an outside system delivered (a message, a queue_log line, a chat line), recorded
/// once: its `key` makes a second delivery of the same thing a no-op.
public struct IntakeRecord: Hashable, Sendable {
    /// Unique per delivery in the outside system: `mail:<message-id>|<content digest>` (older journals:
    /// `mail:<message-id>`), `ql:<line>`, `chat:<...>`.
    public var key: String
    public var kind: IntakeKind
    /// What happened, one line for the conversation; empty when the events beside it say it all.
    public var summary: String
    /// Text no other event carries: an auto-reply's or bounce's text, an unreadable message's raw text.
    public var body: String
    /// Names the ticket is known by outside: Message-IDs, a call's unique ID, a chat session.
    public var aliases: [String]
    /// A stranger's message: who really sent it (`Name <address>`); empty for every other kind.
    public var sender: String

    public init(key: String, kind: IntakeKind, summary: String = "", body: String = "", aliases: [String] = [], sender: String = "") {
        self.key = key
        self.kind = kind
        self.summary = summary
        self.body = body
        self.aliases = aliases
        self.sender = sender
    }
}

/// The steps of handing an email reply to the mail system.
public enum DeliveryStep: Hashable, Sendable {
    /// The reply is to be sent to this address and copied to `cc` (written with the reply itself).
    case queued(to: String, cc: [String] = [])
    /// A process is handing it over now; if nothing follows, the outcome is unknown.
    case handing
    case sent
    case failed(String)

    public var name: String {
        switch self {
        case .queued: "queued"
        case .handing: "handing over"
        case .sent: "sent"
        case .failed: "failed"
        }
    }
}

/// An email reply and where its hand-over stands.
public struct OutgoingMail: Hashable, Sendable {
    public var messageID: String
    public var ticket: TicketID
    public var to: String
    public var cc: [String]
    public var body: String
    public var attachments: [AttachmentRef]
    public var author: String
    public var queuedAt: Instant
    public var step: DeliveryStep
    public var stepAt: Instant
    public var attempts: Int
    /// The last failure, kept after a later step (shown in the outbox).
    public var lastError: String?

    package init(messageID: String, ticket: TicketID, to: String, cc: [String], body: String, attachments: [AttachmentRef], author: String,
                 queuedAt: Instant, step: DeliveryStep, stepAt: Instant, attempts: Int, lastError: String?) {
        self.messageID = messageID
        self.ticket = ticket
        self.to = to
        self.cc = cc
        self.body = body
        self.attachments = attachments
        self.author = author
        self.queuedAt = queuedAt
        self.step = step
        self.stepAt = stepAt
        self.attempts = attempts
        self.lastError = lastError
    }

    /// Not yet sent: queued, failed, or (after a crash mid-hand-over) unknown.
    public var inOutbox: Bool { step != .sent }
}

/// A stranger's message waiting on its ticket for an agent to accept it.
public struct AwaitingMail: Hashable, Sendable {
    public var ticket: TicketID
    public var at: Instant
    public var record: IntakeRecord

    package init(ticket: TicketID, at: Instant, record: IntakeRecord) {
        self.ticket = ticket
        self.at = at
        self.record = record
    }
}

/// An automatic message that matched no ticket: held apart, never a ticket of its own.
public struct HeldRecord: Hashable, Sendable {
    public var at: Instant
    public var record: IntakeRecord

    package init(at: Instant, record: IntakeRecord) {
        self.at = at
        self.record = record
    }
}
