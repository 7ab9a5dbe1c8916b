import Foundation
import QueueDeckDomain

/// The ticket as `list --json` and `show --json` print it. Absent values are `null`, never missing keys.
struct TicketJSON: Encodable {
    let t: Ticket
    let status: TicketStatus
    let sla: SLAStatus
    let full: Bool

    init(_ t: Ticket, context ctx: ViewContext, full: Bool) {
        self.t = t
        self.status = ctx.status(t)
        self.sla = ctx.sla(t)
        self.full = full
    }

    enum Key: String, CodingKey {
        case id, version, channel, status, priority, assignee, department, queue, subject, customer, tags, createdAt, updatedAt
        case waitingSince, postponedUntil, resolvedAt, linkedFrom, linkedTo, sla, messages, history, abandonedAt
        case state, dueAt, remainingSeconds, target
        case kind, author, at, body, actor, change, cc, attachments
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(t.id.description, forKey: .id)
        try c.encode(t.version, forKey: .version)
        try c.encode(t.channel.rawValue, forKey: .channel)
        try c.encode(status.rawValue, forKey: .status)
        try c.encode(t.priority.name, forKey: .priority)
        try c.encode(t.assignee, forKey: .assignee)
        try c.encode(t.department, forKey: .department)
        try c.encode(t.queue, forKey: .queue)
        try c.encode(t.subject, forKey: .subject)
        try c.encode(CustomerJSON(t.customer), forKey: .customer)
        try c.encode(t.tags, forKey: .tags)
        try c.encode(t.createdAt.isoUTC, forKey: .createdAt)
        try c.encode(t.updatedAt.isoUTC, forKey: .updatedAt)
        try c.encode(t.waitingSince?.isoUTC, forKey: .waitingSince)
        try c.encode(status == .postponed ? t.postponedUntil?.isoUTC : nil, forKey: .postponedUntil)
        try c.encode(t.resolvedAt?.isoUTC, forKey: .resolvedAt)
        try c.encode(t.linkedFrom?.description, forKey: .linkedFrom)
        try c.encode(t.linkedTo?.description, forKey: .linkedTo)
        try c.encode(t.abandonments.map(\.isoUTC), forKey: .abandonedAt)
        try c.encode(t.cc, forKey: .cc)
        try c.encode(t.attachments.enumerated().map { AttachmentJSON($0.element.file, number: $0.offset + 1, from: $0.element.from, at: $0.element.at) },
                     forKey: .attachments)
        var s = c.nestedContainer(keyedBy: Key.self, forKey: .sla)
        try s.encode(sla.state.rawValue, forKey: .state)
        try s.encode(sla.dueAt?.isoUTC, forKey: .dueAt)
        try s.encode(sla.remaining.map { $0 / 1000 }, forKey: .remainingSeconds)
        try s.encode(sla.target, forKey: .target)
        guard full else { return }
        var m = c.nestedUnkeyedContainer(forKey: .messages)
        for e in t.entries {
            var x = m.nestedContainer(keyedBy: Key.self)
            try x.encode(e.kind.rawValue, forKey: .kind)
            try x.encode(e.author, forKey: .author)
            try x.encode(e.at.isoUTC, forKey: .at)
            try x.encode(e.body, forKey: .body)
        }
        var h = c.nestedUnkeyedContainer(forKey: .history)
        for e in t.history {
            var x = h.nestedContainer(keyedBy: Key.self)
            try x.encode(e.at.isoUTC, forKey: .at)
            try x.encode(e.actor, forKey: .actor)
            try x.encode(e.text, forKey: .change)
        }
    }
}

/// A customer in JSON, the same in tickets and in `log dump`; absent values are `null`.
struct CustomerJSON: Encodable {
    let c: Customer
    init(_ c: Customer) { self.c = c }
    enum Key: String, CodingKey { case name, email, phone, groups }
    func encode(to encoder: Encoder) throws {
        var x = encoder.container(keyedBy: Key.self)
        try x.encode(c.name, forKey: .name)
        try x.encode(c.email, forKey: .email)
        try x.encode(c.phone, forKey: .phone)
        try x.encode(c.groups, forKey: .groups)
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    emitJSON(try enc.encode(value))
}

/// An attachment as `show --json`, `attachment --json` and `log dump` print it.
struct AttachmentJSON: Encodable {
    let number: Int?
    let name: String
    let type: String
    let size: Int64
    let sha256: String?
    let kept: Bool
    let from: String?
    let at: String?

    init(_ a: AttachmentRef) { self.init(a, number: nil, from: nil, at: nil) }

    init(_ a: AttachmentRef, number: Int?, from: String?, at: Instant?) {
        self.number = number
        name = a.name
        type = a.type
        size = a.size
        sha256 = a.digest
        kept = a.isKept
        self.from = from
        self.at = at?.isoUTC
    }
}
