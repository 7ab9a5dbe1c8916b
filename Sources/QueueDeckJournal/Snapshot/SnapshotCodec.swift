import Dispatch
import QueueDeckDomain

/// The folded desk as bytes. Field order is the format (docs/JOURNAL.md, "Snapshots"); a snapshot
/// never has to be read by another build (its header names the build), so the format may change
/// with the domain, but every field of the fold must be here: a restored desk equals a replay.
///
/// Tickets are written in chunks with their byte lengths up front, so loading decodes the chunks
/// on all cores at once. A chunk is its tickets, then the text of their conversation entries:
/// entries point into it and it is kept as one block, made into strings only when read.
package enum SnapshotCodec {
    static let ticketsPerChunk = 8192

    package static func encode(_ s: DeskState) -> [UInt8] {
        var chunks: [(tickets: [UInt8], text: [UInt8])] = []
        var start = 0
        let all = s.all
        while start < all.count {
            let end = min(start + ticketsPerChunk, all.count)
            var w = SnapshotWriter()
            for i in start..<end { ticket(all[i], &w) }
            chunks.append((w.finished(), w.text.bytes))
            start = end
        }
        var w = ByteWriter()
        w.u64(s.lastSeq)
        w.i64(s.autoCloseAfter)
        w.varint(UInt64(all.count))
        w.varint(UInt64(chunks.count))
        for c in chunks {
            w.u64(UInt64(c.tickets.count))
            w.u64(UInt64(c.text.count))
        }
        for c in chunks {
            w.bytes.append(contentsOf: c.tickets)
            w.bytes.append(contentsOf: c.text)
        }
        var rest = SnapshotWriter()
        desk(s, &rest)
        w.bytes.append(contentsOf: rest.finished())
        return w.bytes
    }

    /// The desk these bytes hold, or where they stop making sense.
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeFailure) -> DeskState {
        var r = ByteReader(bytes)
        let lastSeq = try r.u64("lastSeq")
        let autoClose = try r.i64("autoCloseAfter")
        let count = try r.count("tickets")
        let chunkCount = try r.count("chunks")
        var ranges: [(tickets: Range<Int>, text: Range<Int>)] = []
        guard chunkCount <= (bytes.count - r.pos) / 16 else { throw r.failure("chunks") }
        var at = r.pos + chunkCount * 16
        for _ in 0..<chunkCount {
            let n = try r.u64("chunk length")
            guard n <= UInt64(bytes.count - at) else { throw r.failure("chunk length") }
            let textLength = try r.u64("chunk text length")
            guard textLength <= UInt64(bytes.count - at - Int(n)) else { throw r.failure("chunk text length") }
            ranges.append((at..<(at + Int(n)), (at + Int(n))..<(at + Int(n) + Int(textLength))))
            at += Int(n) + Int(textLength)
        }
        guard at <= bytes.count else { throw DecodeFailure(field: "chunks", offset: r.pos) }
        // Each chunk decodes on its own, and the rest of the desk beside them (the last task); the
        // desk is put together in order afterwards.
        nonisolated(unsafe) var parts = [Result<[Ticket], DecodeFailure>](repeating: .success([]), count: chunkCount)
        nonisolated(unsafe) var rest: Result<([Ticket]) -> DeskState, DecodeFailure> = .failure(DecodeFailure(field: "desk", offset: at))
        // Read-only bytes and ranges, and one output slot per chunk: no two threads touch the same memory.
        nonisolated(unsafe) let input = bytes
        let spans = ranges
        let deskStart = at
        parts.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: chunkCount + 1) { i in
                guard i < chunkCount else {
                    rest = Result { () throws(DecodeFailure) in
                        var r = try SnapshotReader(UnsafeRawBufferPointer(rebasing: input[deskStart...]), origin: deskStart)
                        return try desk(&r, lastSeq: lastSeq, autoCloseAfter: autoClose)
                    }
                    return
                }
                let text = SharedText(Array(UnsafeRawBufferPointer(rebasing: input[spans[i].text])))
                var tickets: [Ticket] = []
                tickets.reserveCapacity(ticketsPerChunk)
                do throws(DecodeFailure) {
                    var cr = try SnapshotReader(UnsafeRawBufferPointer(rebasing: input[spans[i].tickets]), origin: spans[i].tickets.lowerBound)
                    while !cr.atEnd { tickets.append(try ticket(&cr, slot: i * ticketsPerChunk + tickets.count, text: text)) }
                    out[i] = .success(tickets)
                } catch {
                    out[i] = .failure(error)
                }
            }
        }
        var all: [Ticket] = []
        all.reserveCapacity(count)
        for p in parts {
            switch p {
            case .success(let t): all.append(contentsOf: t)
            case .failure(let e): throw e
            }
        }
        guard all.count == count else { throw DecodeFailure(field: "ticket count", offset: 0) }
        return try rest.get()(all)
    }

    // MARK: Tickets

    private static func ticket(_ t: Ticket, _ w: inout SnapshotWriter) {
        w.raw(t.id.rawBytes)
        w.u32(t.version)
        w.u8(EventCodec.channelCode(t.channel))
        ValueCoding.customer(t.customer, &w)
        w.string(t.subject)
        w.u8(UInt8(t.priority.rawValue))
        w.optional(t.department)
        w.optional(t.assignee)
        w.strings(t.tags)
        w.u8(statusCode(t.storedStatus))
        instant(t.postponedUntil, &w)
        instant(t.resolvedAt, &w)
        w.i64(t.createdAt.ms)
        w.i64(t.updatedAt.ms)
        w.string(t.lastActor)
        w.u8(t.everAnswered ? 1 : 0)
        instant(t.firstResponseAt, &w)
        instant(t.waitingSince, &w)
        w.i64(t.lastCustomerMessageAt.ms)
        w.optional(t.linkedFrom?.raw)
        w.optional(t.linkedTo?.raw)
        w.varint(UInt64(t.entries.count))
        for e in t.entries {
            w.u8(entryCode(e.kind))
            w.string(e.author)
            w.i64(e.at.ms)
            var body = e.body
            body.withUTF8 { u in
                w.varint(UInt64(w.text.bytes.count))
                w.varint(UInt64(u.count))
                w.text.bytes.append(contentsOf: u)
            }
        }
        w.varint(UInt64(t.history.count))
        for h in t.history { history(h, &w) }
        w.varint(UInt64(t.runLog.count))
        for r in t.runLog {
            w.i64(r.start.ms)
            instant(r.end, &w)
        }
        w.varint(UInt64(t.responses.count))
        for r in t.responses {
            w.i64(r.from.ms)
            w.i64(r.to.ms)
            w.u8(r.first ? 1 : 0)
        }
        w.varint(UInt64(t.customerChars))
        w.varint(UInt64(t.messageCount))
        w.varint(UInt64(t.abandonments.count))
        for a in t.abandonments { w.i64(a.ms) }
        w.varint(UInt64(t.attachments.count))
        for a in t.attachments {
            ValueCoding.attachments([a.file], &w)
            w.string(a.from)
            w.i64(a.at.ms)
            w.varint(UInt64(a.entry))
        }
        w.strings(t.cc)
        w.strings(t.rulesMatched)
        w.optional(t.queue)
    }

    private static func ticket(_ r: inout SnapshotReader, slot: Int, text: SharedText) throws(DecodeFailure) -> Ticket {
        let id = try r.ticketID("id")
        let version = try r.u32("version")
        guard let channel = EventCodec.channel(try r.u8("channel")) else { throw r.failure("channel") }
        let cust = try ValueCoding.customer(&r)
        let subject = try r.string("subject")
        guard let priority = Priority(rawValue: Int(try r.u8("priority"))) else { throw r.failure("priority") }
        let department = try r.optional("department")
        let assignee = try r.optional("assignee")
        let tags = try r.strings("tags")
        let status = try status(try r.u8("status"), &r)
        let postponed = try instant(&r, "postponedUntil")
        let resolved = try instant(&r, "resolvedAt")
        let created = Instant(ms: try r.i64("createdAt"))
        let updated = Instant(ms: try r.i64("updatedAt"))
        let lastActor = try r.string("lastActor")
        let answered = try r.u8("everAnswered") != 0
        let firstResponse = try instant(&r, "firstResponseAt")
        let waiting = try instant(&r, "waitingSince")
        let lastCustomer = Instant(ms: try r.i64("lastCustomerMessageAt"))
        let linkedFrom = try r.optional("linkedFrom").flatMap(TicketID.init)
        let linkedTo = try r.optional("linkedTo").flatMap(TicketID.init)
        var entries: [ConversationEntry] = []
        let entryCount = try r.count("entries")
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount {
            guard let kind = entryKind(try r.u8("entry.kind")) else { throw r.failure("entry.kind") }
            let author = try r.string("entry.author")
            let at = Instant(ms: try r.i64("entry.at"))
            let start = try r.count64("entry.text")
            let count = try r.count64("entry.length")
            guard start <= text.count, count <= text.count - start else { throw r.failure("entry.text") }
            entries.append(ConversationEntry(kind: kind, author: author, at: at, text: text, start: start, count: count))
        }
        var history: [HistoryEntry] = []
        let historyCount = try r.count("history")
        history.reserveCapacity(historyCount)
        for _ in 0..<historyCount { history.append(try historyEntry(&r)) }
        var runLog: [RunInterval] = []
        let runCount = try r.count("runLog")
        runLog.reserveCapacity(runCount)
        for _ in 0..<runCount { runLog.append(RunInterval(start: Instant(ms: try r.i64("run.start")), end: try instant(&r, "run.end"))) }
        var responses: [ResponseWindow] = []
        let responseCount = try r.count("responses")
        responses.reserveCapacity(responseCount)
        for _ in 0..<responseCount {
            responses.append(ResponseWindow(from: Instant(ms: try r.i64("response.from")), to: Instant(ms: try r.i64("response.to")),
                                            first: try r.u8("response.first") != 0))
        }
        let chars = try r.count64("customerChars")
        let messages = try r.count64("messageCount")
        var abandonments: [Instant] = []
        let abandonCount = try r.count("abandonments")
        for _ in 0..<abandonCount { abandonments.append(Instant(ms: try r.i64("abandonment"))) }
        var attachments: [TicketAttachment] = []
        for _ in 0..<(try r.count("attachments")) {
            guard let file = try ValueCoding.attachments(&r).first else { throw r.failure("attachment") }
            attachments.append(TicketAttachment(file: file, from: try r.string("attachment.from"), at: Instant(ms: try r.i64("attachment.at")),
                                                entry: try r.count64("attachment.entry")))
        }
        let cc = try r.strings("cc")
        let rulesMatched = try r.strings("rulesMatched")
        let queue = try r.optional("queue")
        let s = Ticket.Storage(Ticket.Fields(
            id: id, version: version, channel: channel, customer: cust, subject: subject, priority: priority, department: department,
            assignee: assignee, tags: tags, storedStatus: status, postponedUntil: postponed, resolvedAt: resolved, createdAt: created,
            updatedAt: updated, lastActor: lastActor, everAnswered: answered, firstResponseAt: firstResponse, waitingSince: waiting,
            lastCustomerMessageAt: lastCustomer, linkedFrom: linkedFrom, linkedTo: linkedTo, entries: entries, history: history,
            runLog: runLog, responses: responses, customerChars: chars, messageCount: messages, slot: slot, abandonments: abandonments,
            attachments: attachments, cc: cc, rulesMatched: rulesMatched, queue: queue))
        return Ticket(restoring: s)
    }

    private static func history(_ h: HistoryEntry, _ w: inout SnapshotWriter) {
        w.i64(h.at.ms)
        w.string(h.actor)
        switch h.change {
        case .created(let c, let p):
            w.u8(1); w.u8(EventCodec.channelCode(c)); w.u8(UInt8(p.rawValue))
        case .status(let from, let to, let why):
            w.u8(2); w.u8(statusCode(from)); w.u8(statusCode(to))
            switch why {
            case .customerWrote: w.u8(1)
            case .agentReplied: w.u8(2)
            case .postponed(let until): w.u8(3); w.i64(until.ms)
            case .resolved: w.u8(4)
            case .reopened: w.u8(5)
            case .wokeUp: w.u8(6)
            case .quietPeriodOver: w.u8(7)
            }
        case .reassigned(let fa, let ta, let fd, let td, let reason):
            w.u8(3); w.optional(fa); w.optional(ta); w.optional(fd); w.optional(td); w.string(reason)
        case .claimed(let from):
            w.u8(4); w.optional(from)
        case .priority(let a, let b):
            w.u8(5); w.u8(UInt8(a.rawValue)); w.u8(UInt8(b.rawValue))
        case .tags(let added, let removed):
            w.u8(6); w.strings(added); w.strings(removed)
        case .abandoned(let reason):
            w.u8(7); w.string(reason)
        case .delivery(let id, let step):
            w.u8(8); w.string(id); ValueCoding.deliveryStep(step, &w)
        case .customer(let a, let b):
            w.u8(9); ValueCoding.customer(a, &w); ValueCoding.customer(b, &w)
        case .notified(let users):
            w.u8(10); w.strings(users)
        }
    }

    private static func historyEntry(_ r: inout SnapshotReader) throws(DecodeFailure) -> HistoryEntry {
        let at = Instant(ms: try r.i64("history.at"))
        let actor = try r.string("history.actor")
        let change: HistoryEntry.Change
        switch try r.u8("history.change") {
        case 1:
            guard let c = EventCodec.channel(try r.u8("history.channel")), let p = Priority(rawValue: Int(try r.u8("history.priority")))
            else { throw r.failure("history.created") }
            change = .created(c, p)
        case 2:
            let from = try status(try r.u8("history.from"), &r)
            let to = try status(try r.u8("history.to"), &r)
            let why: HistoryEntry.StatusReason
            switch try r.u8("history.why") {
            case 1: why = .customerWrote
            case 2: why = .agentReplied
            case 3: why = .postponed(until: Instant(ms: try r.i64("history.until")))
            case 4: why = .resolved
            case 5: why = .reopened
            case 6: why = .wokeUp
            case 7: why = .quietPeriodOver
            default: throw r.failure("history.why")
            }
            change = .status(from: from, to: to, why: why)
        case 3:
            change = .reassigned(fromAgent: try r.optional("history.fromAgent"), toAgent: try r.optional("history.toAgent"),
                                 fromDepartment: try r.optional("history.fromDepartment"),
                                 toDepartment: try r.optional("history.toDepartment"), reason: try r.string("history.reason"))
        case 4: change = .claimed(from: try r.optional("history.from"))
        case 5:
            guard let a = Priority(rawValue: Int(try r.u8("history.from"))), let b = Priority(rawValue: Int(try r.u8("history.to")))
            else { throw r.failure("history.priority") }
            change = .priority(from: a, to: b)
        case 6: change = .tags(added: try r.strings("history.added"), removed: try r.strings("history.removed"))
        case 7: change = .abandoned(reason: try r.string("history.reason"))
        case 8: change = .delivery(messageID: try r.string("history.messageID"), step: try ValueCoding.deliveryStep(&r))
        case 9:
            let a = try ValueCoding.customer(&r)
            change = .customer(from: a, to: try ValueCoding.customer(&r))
        case 10: change = .notified(try r.strings("history.notified"))
        default: throw r.failure("history.change")
        }
        return HistoryEntry(at: at, actor: actor, change: change)
    }

    // MARK: The rest of the desk

    private static func desk(_ s: DeskState, _ w: inout SnapshotWriter) {
        let byContact = s.ticketsByContact.sorted { $0.key < $1.key }
        w.varint(UInt64(byContact.count))
        for (key, ids) in byContact {
            w.string(key)
            w.varint(UInt64(ids.count))
            for id in ids { w.raw(id.rawBytes) }
        }
        w.varint(UInt64(s.skippedEvents))
        w.u32(s.deskVersion)
        w.varint(UInt64(s.presence.count))
        for (agent, p) in s.presence.sorted(by: { $0.key < $1.key }) {
            w.string(agent)
            w.u8(EventCodec.presenceCode(p.presence))
            w.i64(p.since.ms)
        }
        names(s.intakeKeys, &w)
        names(s.aliases, &w)
        w.varint(UInt64(s.mailThreads.count))
        for (id, list) in s.mailThreads.sorted(by: { $0.key < $1.key }) {
            w.raw(id.rawBytes)
            w.strings(list)
        }
        w.varint(UInt64(s.outgoing.count))
        for (_, m) in s.outgoing.sorted(by: { $0.key < $1.key }) {
            w.string(m.messageID)
            w.raw(m.ticket.rawBytes)
            w.string(m.to)
            w.strings(m.cc)
            w.string(m.body)
            ValueCoding.attachments(m.attachments, &w)
            w.string(m.author)
            w.i64(m.queuedAt.ms)
            ValueCoding.deliveryStep(m.step, &w)
            w.i64(m.stepAt.ms)
            w.varint(UInt64(m.attempts))
            w.optional(m.lastError)
        }
        w.varint(UInt64(s.held.count))
        for h in s.held {
            w.i64(h.at.ms)
            ValueCoding.intakeRecord(h.record, &w)
        }
        w.varint(UInt64(s.awaiting.count))
        for a in s.awaiting {
            w.raw(a.ticket.rawBytes)
            w.i64(a.at.ms)
            ValueCoding.intakeRecord(a.record, &w)
        }
        w.varint(UInt64(s.selfService.count))
        for u in s.selfService {
            w.i64(u.at.ms)
            w.string(u.user)
        }
        w.varint(UInt64(s.contactCards.count))
        for (key, card) in s.contactCards.sorted(by: { $0.key < $1.key }) {
            w.string(key)
            ValueCoding.contactCard(card, &w)
        }
        w.varint(UInt64(s.contactAliases.count))
        for (alias, key) in s.contactAliases.sorted(by: { $0.key < $1.key }) {
            w.string(alias)
            w.string(key)
        }
    }

    /// Everything but the tickets, returned as the step that completes the desk once they are decoded.
    private static func desk(_ r: inout SnapshotReader, lastSeq: UInt64, autoCloseAfter: Millis) throws(DecodeFailure) -> ([Ticket]) -> DeskState {
        var byContact: [String: [TicketID]] = [:]
        let contacts = try r.count("contacts")
        byContact.reserveCapacity(contacts)
        for _ in 0..<contacts {
            let key = try r.string("contact.key")
            let n = try r.count("contact.tickets")
            var ids: [TicketID] = []
            ids.reserveCapacity(n)
            for _ in 0..<n { ids.append(try r.ticketID("contact.ticket")) }
            byContact[key] = ids
        }
        let skipped = try r.count64("skippedEvents")
        let deskVersion = try r.u32("deskVersion")
        var presence: [String: PresenceRecord] = [:]
        for _ in 0..<(try r.count("presence")) {
            let agent = try r.string("presence.agent")
            guard let p = EventCodec.presence(try r.u8("presence.state")) else { throw r.failure("presence.state") }
            presence[agent] = PresenceRecord(presence: p, since: Instant(ms: try r.i64("presence.since")))
        }
        let intakeKeys = try names(&r, "intakeKeys")
        let aliases = try names(&r, "aliases")
        var threads: [TicketID: [String]] = [:]
        for _ in 0..<(try r.count("mailThreads")) {
            let id = try r.ticketID("mailThread.ticket")
            threads[id] = try r.strings("mailThread.ids")
        }
        var outgoing: [String: OutgoingMail] = [:]
        for _ in 0..<(try r.count("outgoing")) {
            let m = OutgoingMail(messageID: try r.string("outgoing.messageID"), ticket: try r.ticketID("outgoing.ticket"),
                                 to: try r.string("outgoing.to"), cc: try r.strings("outgoing.cc"), body: try r.string("outgoing.body"),
                                 attachments: try ValueCoding.attachments(&r), author: try r.string("outgoing.author"),
                                 queuedAt: Instant(ms: try r.i64("outgoing.queuedAt")), step: try ValueCoding.deliveryStep(&r),
                                 stepAt: Instant(ms: try r.i64("outgoing.stepAt")), attempts: try r.count64("outgoing.attempts"),
                                 lastError: try r.optional("outgoing.lastError"))
            outgoing[m.messageID] = m
        }
        var held: [HeldRecord] = []
        for _ in 0..<(try r.count("held")) {
            held.append(HeldRecord(at: Instant(ms: try r.i64("held.at")), record: try ValueCoding.intakeRecord(&r)))
        }
        var awaiting: [AwaitingMail] = []
        for _ in 0..<(try r.count("awaiting")) {
            awaiting.append(AwaitingMail(ticket: try r.ticketID("awaiting.ticket"), at: Instant(ms: try r.i64("awaiting.at")), record: try ValueCoding.intakeRecord(&r)))
        }
        let uses = try r.count("selfService")
        var selfService: [SelfServiceUse] = []
        selfService.reserveCapacity(uses)
        for _ in 0..<uses {
            selfService.append(SelfServiceUse(at: Instant(ms: try r.i64("selfService.at")), user: try r.string("selfService.user")))
        }
        var cards: [String: ContactCard] = [:]
        for _ in 0..<(try r.count("contactCards")) {
            let key = try r.string("contact.key")
            cards[key] = try ValueCoding.contactCard(&r)
        }
        var contactAliases: [String: String] = [:]
        for _ in 0..<(try r.count("contactAliases")) {
            let alias = try r.string("contact.alias")
            contactAliases[alias] = try r.string("contact.primary")
        }
        guard r.atEnd else { throw r.failure("end of snapshot") }
        return { tickets in
            DeskState(autoCloseAfter: autoCloseAfter, tickets: tickets, lastSeq: lastSeq, ticketsByContact: byContact,
                      skippedEvents: skipped, presence: presence, intakeKeys: intakeKeys, aliases: aliases, mailThreads: threads,
                      outgoing: outgoing, held: held, awaiting: awaiting, selfService: selfService, deskVersion: deskVersion,
                      contactCards: cards, contactAliases: contactAliases)
        }
    }

    private static func names(_ d: [String: TicketID], _ w: inout SnapshotWriter) {
        w.varint(UInt64(d.count))
        for (k, id) in d.sorted(by: { $0.key < $1.key }) {
            w.string(k)
            w.raw(id.rawBytes)
        }
    }

    private static func names(_ r: inout SnapshotReader, _ field: String) throws(DecodeFailure) -> [String: TicketID] {
        let n = try r.count(field)
        var d: [String: TicketID] = [:]
        d.reserveCapacity(n)
        for _ in 0..<n {
            let k = try r.string(field)
            d[k] = try r.ticketID(field)
        }
        return d
    }

    // MARK: Small codes

    private static func instant(_ i: Instant?, _ w: inout SnapshotWriter) {
        if let i { w.u8(1); w.i64(i.ms) } else { w.u8(0) }
    }

    private static func instant(_ r: inout SnapshotReader, _ field: String) throws(DecodeFailure) -> Instant? {
        try r.u8(field) == 0 ? nil : Instant(ms: try r.i64(field))
    }

    private static let statuses: [TicketStatus] = TicketStatus.allCases

    private static func statusCode(_ s: TicketStatus) -> UInt8 { UInt8(statuses.firstIndex(of: s)!) }

    private static func status(_ b: UInt8, _ r: inout SnapshotReader) throws(DecodeFailure) -> TicketStatus {
        guard Int(b) < statuses.count else { throw r.failure("status") }
        return statuses[Int(b)]
    }

    private static func entryCode(_ k: EntryKind) -> UInt8 {
        switch k {
        case .customer: 1
        case .reply: 2
        case .note: 3
        case .record: 4
        }
    }

    private static func entryKind(_ b: UInt8) -> EntryKind? {
        switch b {
        case 1: .customer
        case 2: .reply
        case 3: .note
        case 4: .record
        default: nil
        }
    }
}

extension ByteReader {
    /// A count of things that follow; never more than there are bytes left (a hostile count cannot
    /// make a huge reservation).
    mutating func count(_ field: String) throws(DecodeFailure) -> Int {
        let n = try varint(field)
        guard n <= UInt64(base.count - pos) else { throw failure(field) }
        return Int(n)
    }

    /// A non-negative number that need not be bounded by the bytes left.
    mutating func count64(_ field: String) throws(DecodeFailure) -> Int {
        let n = try varint(field)
        guard n <= UInt64(Int.max) else { throw failure(field) }
        return Int(n)
    }

    mutating func u32(_ field: String) throws(DecodeFailure) -> UInt32 {
        try need(4, field)
        defer { pos += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
    }

    mutating func u64(_ field: String) throws(DecodeFailure) -> UInt64 { UInt64(bitPattern: try i64(field)) }

    mutating func ticketID(_ field: String) throws(DecodeFailure) -> TicketID {
        try need(TicketID.length, field)
        guard let id = TicketID(rawBytes: UnsafeRawBufferPointer(rebasing: base[pos..<(pos + TicketID.length)])) else {
            throw failure(field)
        }
        pos += TicketID.length
        return id
    }

    func failure(_ field: String) -> DecodeFailure { DecodeFailure(field: field, offset: origin + pos) }
}
