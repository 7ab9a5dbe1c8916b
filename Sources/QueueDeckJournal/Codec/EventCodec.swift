import QueueDeckDomain

/// The compact binary payload of each event type. Field order is the format: append new fields at
/// the end of a type, never reorder. A payload that does not decode becomes `.unknown`, never a crash.
public enum EventCodec {
    public static func typeCode(_ k: EventKind) -> UInt8 {
        switch k {
        case .created: 1
        case .customerMessage: 2
        case .agentReply: 3
        case .note: 4
        case .reassigned: 5
        case .postponed: 6
        case .resolved: 7
        case .reopened: 8
        case .priorityChanged: 9
        case .tagged: 10
        case .claimed: 11
        case .abandoned: 12
        case .presence: 13
        case .intake: 14
        case .delivery: 15
        case .selfService: 16
        case .attached: 17
        case .ccChanged: 18
        case .contactEdited: 19
        case .customerUpdated: 20
        case .automation: 21
        case .unknown(let t, _): t
        }
    }

    /// The type codes this build decodes (`log verify` counts one of these that does not decode).
    public static let knownTypes: ClosedRange<UInt8> = 1...21

    static func encodePayload(_ e: Event, into w: inout ByteWriter) {
        w.string(e.actor)
        encodeBody(e.kind, into: &w)
    }

    /// A payload without its actor: what a backend that keeps the actor apart stores (PostgreSQL
    /// sets it from the login, docs/POSTGRES.md).
    package static func body(of e: Event) -> [UInt8] {
        var w = ByteWriter()
        encodeBody(e.kind, into: &w)
        return w.bytes
    }

    static func encodeBody(_ kind: EventKind, into w: inout ByteWriter) {
        switch kind {
        case .created(let o):
            w.u8(channelCode(o.channel))
            ValueCoding.customer(o.customer, &w)
            w.string(o.subject)
            w.string(o.body)
            w.u8(UInt8(o.priority.rawValue))
            w.optional(o.department)
            w.optional(o.linkedFrom?.raw)
            w.optional(o.queue)
        case .customerMessage(let body), .agentReply(let body), .note(let body):
            w.string(body)
        case .reassigned(let agent, let dept, let reason):
            w.optional(agent)
            w.optional(dept)
            w.string(reason)
        case .postponed(let until):
            w.i64(until.ms)
        case .resolved, .reopened, .claimed:
            break
        case .priorityChanged(let p):
            w.u8(UInt8(p.rawValue))
        case .tagged(let added, let removed):
            w.strings(added)
            w.strings(removed)
        case .abandoned(let reason):
            w.string(reason)
        case .presence(let agent, let p):
            w.string(agent)
            w.u8(presenceCode(p))
        case .intake(let r):
            ValueCoding.intakeRecord(r, &w)
        case .delivery(let id, let step):
            w.string(id)
            ValueCoding.deliveryStep(step, &w)
        case .selfService(let r):
            w.string(r.key)
            w.string(r.user)
            w.u8(selfServiceCode(r.kind))
            w.string(r.subject)
        case .attached(let files):
            ValueCoding.attachments(files, &w)
        case .ccChanged(let cc):
            w.strings(cc)
        case .contactEdited(let edit):
            w.string(edit.key)
            ValueCoding.contactCard(edit.card, &w)
            w.strings(edit.merged)
        case .customerUpdated(let c):
            ValueCoding.customer(c, &w)
        case .automation(let rule, let mark):
            w.string(rule)
            switch mark {
            case .matched: w.u8(1)
            case .rearmed: w.u8(2)
            case .notified(let users): w.u8(3); w.strings(users)
            }
        case .unknown(_, let payload):
            w.bytes.append(contentsOf: payload)
        }
    }

    package static func decode(type: UInt8, ticket: TicketID, at: Instant, payload: UnsafeRawBufferPointer) -> Event {
        var r = ByteReader(payload)
        do throws(DecodeFailure) {
            let actor = try r.string("actor")
            return Event(ticket: ticket, at: at, actor: actor, kind: try kind(type: type, &r, payload: payload))
        } catch {
            return Event(ticket: ticket, at: at, actor: "?", kind: .unknown(type: type, payload: Array(payload)))
        }
    }

    /// An event whose actor is kept apart from its payload (`body(of:)`).
    package static func decode(type: UInt8, ticket: TicketID, at: Instant, actor: String, body: UnsafeRawBufferPointer) -> Event {
        var r = ByteReader(body)
        do throws(DecodeFailure) {
            return Event(ticket: ticket, at: at, actor: actor, kind: try kind(type: type, &r, payload: body))
        } catch {
            return Event(ticket: ticket, at: at, actor: actor, kind: .unknown(type: type, payload: Array(body)))
        }
    }

    private static func kind(type: UInt8, _ r: inout ByteReader, payload: UnsafeRawBufferPointer) throws(DecodeFailure) -> EventKind {
        let kind: EventKind
        switch type {
        case 1:
            guard let channel = channel(try r.u8("channel")) else { throw DecodeFailure(field: "channel", offset: r.pos) }
            let customer = try ValueCoding.customer(&r)
            let subject = try r.string("subject")
            let body = try r.string("body")
            guard let p = Priority(rawValue: Int(try r.u8("priority"))) else { throw DecodeFailure(field: "priority", offset: r.pos) }
            let dept = try r.optional("department")
            let linked = try r.optional("linkedFrom").flatMap(TicketID.init)
            // Written since issue 17; older records end before it.
            let queue = r.atEnd ? nil : try r.optional("queue")
            kind = .created(TicketOpening(channel: channel, customer: customer, subject: subject, body: body,
                                          priority: p, department: dept, linkedFrom: linked, queue: queue))
        case 2: kind = .customerMessage(body: try r.string("body"))
        case 3: kind = .agentReply(body: try r.string("body"))
        case 4: kind = .note(body: try r.string("body"))
        case 5: kind = .reassigned(agent: try r.optional("agent"), department: try r.optional("department"), reason: try r.string("reason"))
        case 6: kind = .postponed(until: Instant(ms: try r.i64("until")))
        case 7: kind = .resolved
        case 8: kind = .reopened
        case 9:
            guard let p = Priority(rawValue: Int(try r.u8("priority"))) else { throw DecodeFailure(field: "priority", offset: r.pos) }
            kind = .priorityChanged(p)
        case 10: kind = .tagged(added: try r.strings("added"), removed: try r.strings("removed"))
        case 11: kind = .claimed
        case 12: kind = .abandoned(reason: try r.string("reason"))
        case 13:
            let agent = try r.string("agent")
            guard let p = presence(try r.u8("presence")) else { throw DecodeFailure(field: "presence", offset: r.pos) }
            kind = .presence(agent: agent, p)
        case 14: kind = .intake(try ValueCoding.intakeRecord(&r))
        case 15:
            let id = try r.string("messageID")
            kind = .delivery(messageID: id, try ValueCoding.deliveryStep(&r))
        case 16:
            let key = try r.string("key"), user = try r.string("user")
            guard let k = selfServiceKind(try r.u8("kind")) else { throw DecodeFailure(field: "kind", offset: r.pos) }
            kind = .selfService(SelfServiceRecord(key: key, user: user, kind: k, subject: try r.string("subject")))
        case 17: kind = .attached(try ValueCoding.attachments(&r))
        case 18: kind = .ccChanged(try r.strings("cc"))
        case 19:
            let key = try r.string("contact.key")
            kind = .contactEdited(ContactEdit(key: key, card: try ValueCoding.contactCard(&r), merged: try r.strings("contact.merged")))
        case 20: kind = .customerUpdated(try ValueCoding.customer(&r))
        case 21:
            let rule = try r.string("rule")
            switch try r.u8("mark") {
            case 1: kind = .automation(rule: rule, .matched)
            case 2: kind = .automation(rule: rule, .rearmed)
            case 3: kind = .automation(rule: rule, .notified(try r.strings("notified")))
            default: throw DecodeFailure(field: "mark", offset: r.pos)
            }
        default: kind = .unknown(type: type, payload: Array(payload))
        }
        return kind
    }

    static func selfServiceCode(_ k: SelfServiceRecord.Kind) -> UInt8 {
        switch k {
        case .article: 1
        case .bot: 2
        }
    }

    static func selfServiceKind(_ code: UInt8) -> SelfServiceRecord.Kind? {
        SelfServiceRecord.Kind.allCases.first { selfServiceCode($0) == code }
    }

    static func channelCode(_ c: Channel) -> UInt8 {
        switch c {
        case .email: 1
        case .call: 2
        case .chat: 3
        }
    }

    static func presenceCode(_ p: Presence) -> UInt8 {
        switch p {
        case .available: 1
        case .away: 2
        case .offline: 3
        }
    }

    // Switches, not dictionary literals: these run for every record and snapshot ticket.
    static func presence(_ b: UInt8) -> Presence? {
        switch b {
        case 1: .available
        case 2: .away
        case 3: .offline
        default: nil
        }
    }

    static func channel(_ b: UInt8) -> Channel? {
        switch b {
        case 1: .email
        case 2: .call
        case 3: .chat
        default: nil
        }
    }
}
