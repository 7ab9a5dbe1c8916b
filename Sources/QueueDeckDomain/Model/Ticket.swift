public enum EntryKind: String, Sendable, Hashable {
    /// `record`: what a phone, chat or mail system reported (a call ended, an auto-reply, a bounce).
    case customer, reply, note, record
}

/// One item of the conversation: a customer message, an agent reply, an internal note, or a record
/// from intake.
public struct ConversationEntry: Hashable, Sendable {
    public var kind: EntryKind
    public var author: String
    public var at: Instant
    private var text: Text

    /// The text: held as a string, or as a range of a snapshot's shared text bytes and made a
    /// string only when read (a desk loads 400,000 bodies and shows a handful).
    public var body: String {
        get {
            switch text {
            case .string(let s): s
            case .shared(let bytes, let start, let count): bytes.string(start: Int(start), count: Int(count))
            }
        }
        set { text = .string(newValue) }
    }

    private enum Text: Sendable {
        case string(String)
        case shared(SharedText, start: UInt32, count: UInt32)
    }

    package init(kind: EntryKind, author: String, at: Instant, body: String) {
        self.kind = kind
        self.author = author
        self.at = at
        text = .string(body)
    }

    /// An entry whose text is `count` bytes of `bytes` from `start`.
    package init(kind: EntryKind, author: String, at: Instant, text bytes: SharedText, start: Int, count: Int) {
        self.kind = kind
        self.author = author
        self.at = at
        text = .shared(bytes, start: UInt32(start), count: UInt32(count))
    }

    public static func == (a: ConversationEntry, b: ConversationEntry) -> Bool {
        a.kind == b.kind && a.author == b.author && a.at == b.at && a.body == b.body
    }

    public func hash(into h: inout Hasher) {
        h.combine(kind)
        h.combine(at)
        h.combine(body)
    }
}

/// UTF-8 bytes that many conversation entries point into (one snapshot chunk's texts).
package final class SharedText: Sendable {
    let bytes: [UInt8]
    package init(_ bytes: [UInt8]) { self.bytes = bytes }
    package var count: Int { bytes.count }

    func string(start: Int, count: Int) -> String {
        guard start >= 0, count >= 0, start + count <= bytes.count else { return "" }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<(start + count)]), as: UTF8.self) }
    }
}

/// One change of status, assignment, priority, tags or schedule, with who did it and when.
/// Kept structured (replay builds no strings); `text` words it for people.
public struct HistoryEntry: Hashable, Sendable {
    public var at: Instant
    public var actor: String
    public var change: Change

    package init(at: Instant, actor: String, change: Change) {
        self.at = at
        self.actor = actor
        self.change = change
    }

    public enum Change: Hashable, Sendable {
        case created(Channel, Priority)
        case status(from: TicketStatus, to: TicketStatus, why: StatusReason)
        // Boxed: the two rare, wide cases would otherwise set the size of every history entry.
        indirect case reassigned(fromAgent: String?, toAgent: String?, fromDepartment: String?, toDepartment: String?, reason: String)
        case claimed(from: String?)
        case priority(from: Priority, to: Priority)
        case tags(added: [String], removed: [String])
        case abandoned(reason: String)
        indirect case delivery(messageID: String, step: DeliveryStep)
        indirect case customer(from: Customer, to: Customer)
        /// A rule asked these agents to look at the ticket.
        case notified([String])
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
        case .abandoned(let reason): return "customer left while waiting" + (reason.isEmpty ? "" : " (\(reason))")
        case .customer(let a, let b):
            var parts: [String] = []
            if a.name != b.name { parts.append("name \(a.name) → \(b.name)") }
            let added = b.groups.filter { !a.groups.contains($0) }, removed = a.groups.filter { !b.groups.contains($0) }
            if !added.isEmpty || !removed.isEmpty { parts.append("groups " + (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " ")) }
            if a.phone != b.phone { parts.append("phone \(b.phone ?? "none")") }
            if a.email != b.email { parts.append("address \(b.email ?? "none")") }
            return "customer card: " + (parts.isEmpty ? "unchanged" : parts.joined(separator: ", ")) + " (contact edited)"
        case .notified(let users): return "notified " + users.joined(separator: ", ")
        case .delivery(let id, let step):
            switch step {
            case .queued(let to, let cc): return "email reply \(id) queued to \(([to] + cc).joined(separator: ", "))"
            case .handing: return "email reply \(id) being handed to the mail system"
            case .sent: return "email reply \(id) handed to the mail system"
            case .failed(let e): return "email reply \(id) not sent: \(e) (kept in the outbox)"
            }
        }
    }
}

/// A period in which the SLA clock ran (status new or open). `end == nil` means it still runs.
public struct RunInterval: Hashable, Sendable {
    public var start: Instant
    public var end: Instant?

    package init(start: Instant, end: Instant?) {
        self.start = start
        self.end = end
    }
}

/// A period in which the customer waited for a reply; closed by an agent reply.
public struct ResponseWindow: Hashable, Sendable {
    public var from: Instant
    public var to: Instant
    public var first: Bool

    package init(from: Instant, to: Instant, first: Bool) {
        self.from = from
        self.to = to
        self.first = first
    }
}

/// A ticket: a value type whose fields live in one copy-on-write box. Copying a ticket (reading it out
/// of the desk state, iterating 100,000 of them) costs one retain; `_modify` accessors keep appends
/// to its conversation and history in place.
public struct Ticket: Hashable, Sendable {
    /// Every stored field, listed once: equality and copying are synthesised from this list, and
    /// the initialiser makes every place that builds a ticket name each field (the compiler keeps
    /// the snapshot codec in step).
    package struct Fields: Equatable, Sendable {
        package var id: TicketID
        package var version: UInt32
        package var channel: Channel
        package var customer: Customer
        package var subject: String
        package var priority: Priority
        package var department: String?
        package var assignee: String?
        package var tags: [String]
        package var storedStatus: TicketStatus
        package var postponedUntil: Instant?
        package var resolvedAt: Instant?
        package var createdAt: Instant
        package var updatedAt: Instant
        package var lastActor: String
        package var everAnswered: Bool
        package var firstResponseAt: Instant?
        package var waitingSince: Instant?
        package var lastCustomerMessageAt: Instant
        package var linkedFrom: TicketID?
        package var linkedTo: TicketID?
        package var entries: [ConversationEntry]
        package var history: [HistoryEntry]
        package var runLog: [RunInterval]
        package var responses: [ResponseWindow]
        package var customerChars: Int
        package var messageCount: Int
        package var slot: Int
        package var abandonments: [Instant]
        package var attachments: [TicketAttachment]
        package var cc: [String]
        /// The time rules that matched and acted, until the ticket is seen to leave their match.
        package var rulesMatched: [String]
        package var queue: String?

        package init(id: TicketID, version: UInt32, channel: Channel, customer: Customer, subject: String, priority: Priority, department: String?, assignee: String?, tags: [String], storedStatus: TicketStatus, postponedUntil: Instant?, resolvedAt: Instant?, createdAt: Instant, updatedAt: Instant, lastActor: String, everAnswered: Bool, firstResponseAt: Instant?, waitingSince: Instant?, lastCustomerMessageAt: Instant, linkedFrom: TicketID?, linkedTo: TicketID?, entries: [ConversationEntry], history: [HistoryEntry], runLog: [RunInterval], responses: [ResponseWindow], customerChars: Int, messageCount: Int, slot: Int, abandonments: [Instant], attachments: [TicketAttachment], cc: [String], rulesMatched: [String], queue: String?) {
            self.id = id
            self.version = version
            self.channel = channel
            self.customer = customer
            self.subject = subject
            self.priority = priority
            self.department = department
            self.assignee = assignee
            self.tags = tags
            self.storedStatus = storedStatus
            self.postponedUntil = postponedUntil
            self.resolvedAt = resolvedAt
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.lastActor = lastActor
            self.everAnswered = everAnswered
            self.firstResponseAt = firstResponseAt
            self.waitingSince = waitingSince
            self.lastCustomerMessageAt = lastCustomerMessageAt
            self.linkedFrom = linkedFrom
            self.linkedTo = linkedTo
            self.entries = entries
            self.history = history
            self.runLog = runLog
            self.responses = responses
            self.customerChars = customerChars
            self.messageCount = messageCount
            self.slot = slot
            self.abandonments = abandonments
            self.attachments = attachments
            self.cc = cc
            self.rulesMatched = rulesMatched
            self.queue = queue
        }
    }

    /// The copy-on-write box. Package access: the snapshot codec restores tickets without replaying
    /// their events.
    package final class Storage: @unchecked Sendable {
        var fields: Fields
        package init(_ fields: consuming Fields) { self.fields = fields }
        func copy() -> Storage { Storage(fields) }
    }

    private var storage: Storage

    /// A ticket restored from a snapshot.
    package init(restoring storage: Storage) { self.storage = storage }

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    public static func == (a: Ticket, b: Ticket) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    public func hash(into h: inout Hasher) {
        h.combine(id)
        h.combine(version)
    }

    public var id: TicketID {
        get { storage.fields.id }
        _modify { unique(); yield &storage.fields.id }
    }
    public var version: UInt32 {
        get { storage.fields.version }
        _modify { unique(); yield &storage.fields.version }
    }
    public var channel: Channel {
        get { storage.fields.channel }
        _modify { unique(); yield &storage.fields.channel }
    }
    public var customer: Customer {
        get { storage.fields.customer }
        _modify { unique(); yield &storage.fields.customer }
    }
    public var subject: String {
        get { storage.fields.subject }
        _modify { unique(); yield &storage.fields.subject }
    }
    public var priority: Priority {
        get { storage.fields.priority }
        _modify { unique(); yield &storage.fields.priority }
    }
    public var department: String? {
        get { storage.fields.department }
        _modify { unique(); yield &storage.fields.department }
    }
    public var assignee: String? {
        get { storage.fields.assignee }
        _modify { unique(); yield &storage.fields.assignee }
    }
    public var tags: [String] {
        get { storage.fields.tags }
        _modify { unique(); yield &storage.fields.tags }
    }
    /// The status as last written by an event; see `status(at:rules:)` for wake-up and auto-close.
    public var storedStatus: TicketStatus {
        get { storage.fields.storedStatus }
        _modify { unique(); yield &storage.fields.storedStatus }
    }
    public var postponedUntil: Instant? {
        get { storage.fields.postponedUntil }
        _modify { unique(); yield &storage.fields.postponedUntil }
    }
    public var resolvedAt: Instant? {
        get { storage.fields.resolvedAt }
        _modify { unique(); yield &storage.fields.resolvedAt }
    }
    public var createdAt: Instant {
        get { storage.fields.createdAt }
        _modify { unique(); yield &storage.fields.createdAt }
    }
    public var updatedAt: Instant {
        get { storage.fields.updatedAt }
        _modify { unique(); yield &storage.fields.updatedAt }
    }
    public var lastActor: String {
        get { storage.fields.lastActor }
        _modify { unique(); yield &storage.fields.lastActor }
    }
    public var everAnswered: Bool {
        get { storage.fields.everAnswered }
        _modify { unique(); yield &storage.fields.everAnswered }
    }
    public var firstResponseAt: Instant? {
        get { storage.fields.firstResponseAt }
        _modify { unique(); yield &storage.fields.firstResponseAt }
    }
    /// The customer has waited for the desk since then (nil when the ball is in the customer's court).
    public var waitingSince: Instant? {
        get { storage.fields.waitingSince }
        _modify { unique(); yield &storage.fields.waitingSince }
    }
    public var lastCustomerMessageAt: Instant {
        get { storage.fields.lastCustomerMessageAt }
        _modify { unique(); yield &storage.fields.lastCustomerMessageAt }
    }
    public var linkedFrom: TicketID? {
        get { storage.fields.linkedFrom }
        _modify { unique(); yield &storage.fields.linkedFrom }
    }
    public var linkedTo: TicketID? {
        get { storage.fields.linkedTo }
        _modify { unique(); yield &storage.fields.linkedTo }
    }
    public var entries: [ConversationEntry] {
        get { storage.fields.entries }
        _modify { unique(); yield &storage.fields.entries }
    }
    public var history: [HistoryEntry] {
        get { storage.fields.history }
        _modify { unique(); yield &storage.fields.history }
    }
    public var runLog: [RunInterval] {
        get { storage.fields.runLog }
        _modify { unique(); yield &storage.fields.runLog }
    }
    public var responses: [ResponseWindow] {
        get { storage.fields.responses }
        _modify { unique(); yield &storage.fields.responses }
    }
    /// Bytes (UTF-8) the customer wrote: the "size of the ask" for easiest-first ordering.
    public var customerChars: Int {
        get { storage.fields.customerChars }
        _modify { unique(); yield &storage.fields.customerChars }
    }

    /// When the customer left while waiting (abandoned calls and chats), oldest first.
    public var abandonments: [Instant] {
        get { storage.fields.abandonments }
        _modify { unique(); yield &storage.fields.abandonments }
    }
    /// Who else gets the ticket's mail (Cc), as addresses.
    public var cc: [String] {
        get { storage.fields.cc }
        _modify { unique(); yield &storage.fields.cc }
    }
    /// The time rules that matched and acted (README: Automation); each acts again only after the
    /// ticket has left its match.
    public var rulesMatched: [String] {
        get { storage.fields.rulesMatched }
        _modify { unique(); yield &storage.fields.rulesMatched }
    }
    /// The intake queue the ticket came in by, if any (`queue:` in the filter language).
    public var queue: String? {
        get { storage.fields.queue }
        _modify { unique(); yield &storage.fields.queue }
    }
    /// The attachments numbered from 1, by the conversation entry they came with.
    public var attachmentsByEntry: [Int: [(number: Int, attachment: TicketAttachment)]] {
        Dictionary(grouping: attachments.enumerated().map { (number: $0.offset + 1, attachment: $0.element) }, by: \.attachment.entry)
    }
    /// Files that came with messages and replies, in order (`qdeck attachment ID N` counts from 1).
    public var attachments: [TicketAttachment] {
        get { storage.fields.attachments }
        _modify { unique(); yield &storage.fields.attachments }
    }

    mutating func countMessage() {
        unique()
        storage.fields.messageCount += 1
    }

    init(id: TicketID, opening o: TicketOpening, at: Instant, actor: String, version: UInt32, slot: Int) {
        let entries = o.body.isEmpty ? [] : [ConversationEntry(kind: .customer, author: o.customer.name, at: at, body: o.body)]
        storage = Storage(Fields(
            id: id, version: version, channel: o.channel, customer: o.customer, subject: o.subject, priority: o.priority,
            department: o.department, assignee: nil, tags: [], storedStatus: .new, postponedUntil: nil, resolvedAt: nil,
            createdAt: at, updatedAt: at, lastActor: actor, everAnswered: false, firstResponseAt: nil, waitingSince: at,
            lastCustomerMessageAt: at, linkedFrom: o.linkedFrom, linkedTo: nil, entries: entries,
            history: [HistoryEntry(at: at, actor: actor, change: .created(o.channel, o.priority))],
            runLog: [RunInterval(start: at, end: nil)], responses: [], customerChars: o.subject.utf8.count + o.body.utf8.count,
            messageCount: entries.count, slot: slot, abandonments: [], attachments: [], cc: [], rulesMatched: [], queue: o.queue))
    }

    /// When the status next changes by itself after `now` (a postponed ticket wakes, a resolved one
    /// closes); nil when only an event changes it.
    public func statusChange(after now: Instant, autoCloseAfter: Millis) -> Instant? {
        switch storedStatus {
        case .postponed: return postponedUntil.flatMap { $0 > now ? $0 : nil }
        case .resolved: return resolvedAt.flatMap { $0 + autoCloseAfter > now ? $0 + autoCloseAfter : nil }
        case .new, .open, .answered, .closed: return nil
        }
    }

    /// The status at `now`: a postponed ticket whose time has come is awake again, and a resolved
    /// ticket past the quiet period is closed. No event is needed for either.
    public func status(at now: Instant, autoCloseAfter: Millis) -> TicketStatus {
        let stored = storedStatus
        // Most tickets are neither postponed nor resolved: this runs for every ticket on every
        // filter and sort, so the other fields are read only when they matter.
        guard stored == .postponed || stored == .resolved else { return stored }
        return Ticket.derived(stored, postponedUntil: postponedUntil, resolvedAt: resolvedAt, answered: everAnswered,
                              at: now, autoCloseAfter: autoCloseAfter)
    }

    /// A written status with wake-up and auto-close applied at `now`: the one place they are derived.
    @inline(__always)
    static func derived(_ stored: TicketStatus, postponedUntil: Instant?, resolvedAt: Instant?, answered: Bool,
                        at now: Instant, autoCloseAfter: Millis) -> TicketStatus {
        switch stored {
        case .postponed:
            if let until = postponedUntil, until <= now { return answered ? .open : .new }
            return .postponed
        case .resolved:
            if let r = resolvedAt, r + autoCloseAfter <= now { return .closed }
            return .resolved
        case .new, .answered, .open, .closed:
            return stored
        }
    }

    /// The status the ticket had at an earlier moment `t`, read from its history (nil if it did not
    /// exist yet). Used for trends: what the queue looked like a minute or a week ago.
    public func status(asOf t: Instant, autoCloseAfter: Millis) -> TicketStatus? {
        guard createdAt <= t else { return nil }
        if updatedAt <= t { return status(at: t, autoCloseAfter: autoCloseAfter) }
        var s = TicketStatus.new
        var until: Instant?
        var resolved: Instant?
        for h in history where h.at <= t {
            guard case .status(_, let to, let why) = h.change else { continue }
            s = to
            if case .postponed(let u) = why { until = u }
            if to == .resolved { resolved = h.at }
        }
        return Ticket.derived(s, postponedUntil: until, resolvedAt: resolved, answered: firstResponseAt.map { $0 <= t } ?? false,
                              at: t, autoCloseAfter: autoCloseAfter)
    }

    /// Where a postponed ticket returns to: open, or new if nobody ever answered it.
    var wakeStatus: TicketStatus { everAnswered ? .open : .new }

    /// The ticket's position in the desk (creation order, dense from 0): caches index arrays by it.
    public internal(set) var slot: Int {
        get { storage.fields.slot }
        set { unique(); storage.fields.slot = newValue }
    }

    /// Customer messages and replies (not notes); kept by the reducer, read on every sort.
    public var messageCount: Int { storage.fields.messageCount }
}
