import ArgumentParser
import Foundation
import QueueDeckBackends
import QueueDeckDomain
import QueueDeckJournal
import QueueDeckPostgres
import QueueDeckText

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and repair the journal.", subcommands: [Verify.self, Dump.self, Repair.self, Copy.self])

    struct Verify: DeskCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every record; exit 65 if the journal is damaged.",
            discussion: "Also says which snapshot start-up would use, and why any other is passed over (a snapshot never affects the exit status).")
        @OptionGroup var globals: GlobalOptions
        func execute() throws {
            let path: String
            switch try globals.journalLocation() {
            case .file(let file): path = file
            case .postgres(let address, let companion): return try verifyDatabase(address, companion: companion)
            }
            let r = try JournalRepair.verify(path: path)
            defer { if let journal = try? FileJournal(path: path, writable: false) { reportSnapshots(journal, lastSeq: r.lastSeq) } }
            emit("\(r.path): file \(r.uuid.isEmpty ? "(unknown: header damaged)" : r.uuid), \(r.records) valid records, last sequence \(r.lastSeq), \(r.fileSize) bytes")
            for d in r.damage {
                emit("DAMAGED at byte \(d.offset): \(d.reason); valid records resume at byte \(d.resumesAt)")
            }
            if r.tornTail > 0 {
                emit("torn tail: \(r.tornTail) bytes after byte \(r.validEnd) (a writer died mid-record; the next append cuts it and keeps the bytes beside the log)")
            }
            let lostFiles = (try? FileJournal(path: path, writable: false)).map { checkAttachments($0) } ?? 0
            if !r.damage.isEmpty {
                throw Failure(code: Exit.dataErr, message: "journal damaged in \(r.damage.count) place(s); run `qdeck log repair`")
            }
            if lostFiles > 0 {
                throw Failure(code: Exit.dataErr, message: "\(countPhrase(lostFiles, "attachment")) missing, damaged or unreadable in the store (each named above; restore a missing or damaged one from a backup of \(path).blobs)")
            }
            emit(r.isClean ? "ok" : "ok (torn tail only)")
        }

        /// Every stored attachment the journal names, read and checked against its SHA-256: how many are
        /// missing or damaged (each named).
        func checkAttachments(_ journal: any DeskJournal) -> Int {
            var named: [String: (TicketID, String)] = [:]
            try? journal.readNew { noteAttachments($0, in: &named) }
            return checkAttachments(named, in: journal.blobs)
        }

        /// The files an event names, by digest, with the first ticket and name each was met under.
        func noteAttachments(_ e: StoredEvent, in named: inout [String: (TicketID, String)]) {
            guard case .attached(let files) = e.event.kind else { return }
            for f in files { if let d = f.digest { named[d] = named[d] ?? (e.event.ticket, f.name) } }
        }

        func checkAttachments(_ named: [String: (TicketID, String)], in blobs: any BlobStore) -> Int {
            guard !named.isEmpty else { return 0 }
            var bad = 0
            for (hex, (ticket, name)) in named.sorted(by: { $0.key < $1.key }) {
                guard let digest = BlobDigest(hex: hex) else {
                    bad += 1
                    emit("ATTACHMENT \(ScreenText.line(name)) on \(ticket): the journal names it by '\(ScreenText.line(hex))', not a SHA-256")
                    continue
                }
                switch blobs.check(digest) {
                case .intact: break
                case .missing:
                    bad += 1
                    emit("ATTACHMENT MISSING \(ScreenText.line(name)) on \(ticket): sha256 \(hex)")
                case .unreadable(let why):
                    bad += 1
                    emit("ATTACHMENT NOT READABLE by this user \(ScreenText.line(name)) on \(ticket): \(why) (the store's group: README, Attachments)")
                case .damaged(let why):
                    bad += 1
                    emit("ATTACHMENT DAMAGED \(ScreenText.line(name)) on \(ticket): \(why)")
                }
            }
            emit("attachments: \(countPhrase(named.count, "stored file")) checked, \(bad == 0 ? "all intact" : "\(bad) missing, damaged or unreadable")")
            return bad
        }

        /// The database keeps each row whole (WAL, page checksums); what is checked here is what qdeck
        /// promises on top: sequence numbers 1…N without a gap and the counter at N, each ticket's
        /// versions 1, 2, 3…, every event decoding, every attached file there and intact.
        func verifyDatabase(_ address: PostgresAddress, companion: String) throws {
            let journal = try PostgresJournal(address: address, writable: false, localBase: companion)
            let b = try journal.bookkeeping()
            // The snapshots this user keeps for it on this host, checked against the database.
            defer {
                if let fresh = try? PostgresJournal(address: address, writable: false, localBase: companion) { reportSnapshots(fresh, lastSeq: UInt64(b.lastSeq)) }
            }
            emit("\(journal.name): database journal \(b.uuid), \(b.events) events, last sequence \(b.lastSeq)")
            var problems: [String] = []
            if b.events != b.lastSeq { problems.append("sequence numbers have gaps: \(b.events) events up to \(b.lastSeq)") }
            if b.counter != b.lastSeq { problems.append("the counter says \(b.counter), the last event is \(b.lastSeq) (qdeck log repair realigns it)") }
            var versions: [TicketID: UInt32] = [:]
            var undecodable: [UInt64] = []
            var named: [String: (TicketID, String)] = [:]
            do {
                try journal.readNew { e in
                    noteAttachments(e, in: &named)
                    let expected = (versions[e.event.ticket] ?? 0) + 1
                    if e.version != expected { problems.append("event \(e.seq): version \(e.version) of \(e.event.ticket), expected \(expected)") }
                    versions[e.event.ticket] = e.version
                    if case .unknown(let type, _) = e.event.kind, EventCodec.knownTypes.contains(type) { undecodable.append(e.seq) }
                }
            } catch {
                problems.append("\(error)")
            }
            if !undecodable.isEmpty {
                let listed = undecodable.prefix(10).map(String.init).joined(separator: ", ") + (undecodable.count > 10 ? ", …" : "")
                problems.append("\(countPhrase(undecodable.count, "event")) of a known type do not decode (sequence \(listed); `qdeck log dump` shows them)")
            }
            for p in problems { emit("DAMAGED: \(p)") }
            let lostFiles = checkAttachments(named, in: journal.blobs)
            if !problems.isEmpty { throw Failure(code: Exit.dataErr, message: "journal damaged in \(problems.count) place(s)") }
            if lostFiles > 0 { throw Failure(code: Exit.dataErr, message: "\(countPhrase(lostFiles, "attachment")) missing or damaged in the database (each named above)") }
            emit("ok")
        }

        /// Which snapshot start-up would use, and why any other is passed over (never the exit status).
        func reportSnapshots(_ journal: some SnapshotSite, lastSeq: UInt64) {
            let found = SnapshotFile.list(journal: journal.snapshotBase)
            guard !found.isEmpty, let rules = try? globals.rules(journalPath: (try? globals.journalLocation().companionPath) ?? journal.snapshotBase) else { return }
            var used = false
            for f in found {
                let size = (try? FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int) ?? 0
                if let problem = DeskLoader.problem(with: f, journal: journal, autoCloseAfter: rules.autoCloseAfter) {
                    emit("passed over: \(problem)")
                } else if !used {
                    used = true
                    emit("snapshot \(f.path): used at start-up (sequence \(f.seq), \(size / 1024) kB; \(lastSeq - min(lastSeq, f.seq)) events after it)")
                } else {
                    emit("snapshot \(f.path): sound, kept in case the newer one is damaged")
                }
            }
        }
    }

    struct Dump: DeskCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every event as one JSON object per line.",
            discussion: "A journal with a damaged header or damaged ranges is still read: every whole record is printed, the damage is named on standard error, and the exit status is 65.")
        @OptionGroup var globals: GlobalOptions
        func execute() throws {
            let printer = DumpPrinter()
            let path: String
            switch try globals.journalLocation() {
            case .file(let file): path = file
            case .postgres(let address, _):
                // Rows are whole or absent in a database: nothing to read past.
                try PostgresJournal(address: address, writable: false).readNew { printer.add($0) }
                return printer.flush()
            }
            guard let error = Self.read(path, into: printer) else { return printer.flush() }
            // Read on past what the header or the damage hides: every whole record not yet printed.
            let from: Int64
            switch error {
            case .damagedHeader: from = 0
            case .damaged(_, let offset, _, _, _): from = offset
            case .missing, .cannotOpen, .notAJournal, .networkFileSystem, .stale, .lockTimeout, .writeFailed,
                 .shortWrite, .syncFailed, .replaced, .io, .refused, .eventTooLarge, .unreachable, .denied, .database: throw error
            }
            let report = try JournalRepair.salvage(path: path, from: from) { printer.add($0) }
            printer.flush()
            let places = report.damage.map { "byte \($0.offset): \($0.reason)" }.joined(separator: "; ")
            throw Failure(code: Exit.dataErr, message: "\(path): \(report.records) whole records printed; passed over \(places); run `qdeck log repair`")
        }

        /// The normal read; the error that stopped it, if any.
        static func read(_ path: String, into printer: DumpPrinter) -> JournalError? {
            do {
                let journal = try FileJournal(path: path, writable: false)
                try journal.readNew { printer.add($0) }
                return nil
            } catch {
                return error
            }
        }
    }

    /// Buffers dump lines into large writes.
    final class DumpPrinter {
        private let enc: JSONEncoder = {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return e
        }()
        private var out = Data()

        func add(_ e: StoredEvent) {
            out.append((try? enc.encode(DumpLine(e))) ?? Data())
            out.append(0x0A)
            if out.count > 1 << 20 { flush() }
        }

        func flush() {
            emitJSON(out, terminator: "")
            out.removeAll(keepingCapacity: true)
        }
    }

    struct Repair: DeskCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move damaged ranges aside and rewrite the journal from every valid record.",
            discussion: "Nothing is deleted: the original is kept as JOURNAL.before-repair-TIME and each damaged range as JOURNAL.damaged-OFFSET-TIME. Needs the log.repair permission. Consoles must be restarted afterwards. A damaged header whose demo mark cannot be read is rebuilt only when told what the desk is: --demo or --real.")
        @OptionGroup var globals: GlobalOptions
        @Flag(name: .long, help: "The desk is a demo (it never mails anyone): for a header whose mark is damaged.") var demo = false
        @Flag(name: .long, help: "The desk is a real one (it mails its customers): for a header whose mark is damaged.") var real = false
        func execute() throws {
            let path: String
            switch try globals.journalLocation() {
            case .file(let file): path = file
            case .postgres(let address, _):
                // The database decides who may: only its qdeck_admin group runs qdeck_repair().
                let journal = try PostgresJournal(address: address, writable: true)
                let fixed = try journal.repair()
                emit(fixed.isEmpty ? "\(journal.name): no damage; nothing to repair" : fixed.joined(separator: "\n"))
                return
            }
            // Rules and agent only: the journal itself may be too damaged to open.
            let actor = try globals.actingAgent(globals.rules(journalPath: path))
            guard actor.may(.repairLog) else { throw DomainError.notPermitted(user: actor.user, permission: .repairLog) }
            let before = try JournalRepair.verify(path: path)
            if before.isClean { emit("\(path): no damage; nothing to repair"); return }
            if demo && real { throw Failure(code: Exit.usage, message: "--demo and --real: one or the other") }
            let r = try JournalRepair.repair(path: path, demo: demo ? true : real ? false : nil)
            for a in r.movedAside { emit("moved \(a.length) bytes from byte \(a.offset) to \(a.file)") }
            emit("kept \(r.kept) records; original kept as \(r.backup)")
        }
    }
}

extension Log {
    struct Copy: DeskCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a desk's journal to another place: a file into an empty PostgreSQL journal, or back.",
            discussion: "Sequence numbers, versions, actors, times and the journal's UUID are kept, and every attached file is copied. "
                + "The source is only read. A file destination must not exist; a PostgreSQL one must hold no events "
                + "(a new database after `qdeck db init`) and be written as a qdeck_admin login, the only group that may import history. "
                + "Stop the desk's writers first: what the source gains during the copy is not in it.")
        @Argument(help: ArgumentHelp("The journal to copy: a file path or postgresql://…", valueName: "source")) var source: String
        @Argument(help: ArgumentHelp("Where to: a new file path or postgresql://…", valueName: "destination")) var destination: String

        func execute() throws {
            // Both journals are named here; the environment (PG*, ~/.pgpass) fills their addresses.
            let globals = try GlobalOptions.parse([])
            let from = try globals.location(source), to = try globals.location(destination)
            if from == to { throw Failure(code: Exit.usage, message: "the source and the destination are the same journal") }
            let r = try JournalCopy.copy(from: from, to: to)
            emit("copied \(countPhrase(Int(r.events), "event")) and \(countPhrase(r.files, "attached file")) from \(from.name) to \(to.name)")
        }
    }
}

/// One JSON line of `log dump`.
struct DumpLine: Encodable {
    let e: StoredEvent
    /// Not stored (what `rules test` would append): no sequence number or version yet.
    var stored = true
    init(_ e: StoredEvent) { self.e = e }
    init(unstored e: Event) {
        self.e = StoredEvent(seq: 0, version: 0, event: e)
        stored = false
    }

    enum Key: String, CodingKey {
        case seq, ticket, version, type, at, actor, body, channel, customer, subject, priority, department, linkedFrom
        case agent, reason, until, added, removed, typeCode, payloadBytes, presence
        case key, kind, summary, aliases, messageID, step, to, cc, error, user, files, contact, merged, rule, mark, notified
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let ev = e.event
        if stored { try c.encode(e.seq, forKey: .seq) }
        try c.encode(ev.ticket.description, forKey: .ticket)
        if stored { try c.encode(e.version, forKey: .version) }
        try c.encode(ev.kind.name, forKey: .type)
        try c.encode(ev.at.isoUTC, forKey: .at)
        try c.encode(ev.actor, forKey: .actor)
        switch ev.kind {
        case .created(let o):
            try c.encode(o.channel.rawValue, forKey: .channel)
            try c.encode(CustomerJSON(o.customer), forKey: .customer)
            try c.encode(o.subject, forKey: .subject)
            try c.encode(o.body, forKey: .body)
            try c.encode(o.priority.name, forKey: .priority)
            try c.encode(o.department, forKey: .department)
            try c.encode(o.linkedFrom?.description, forKey: .linkedFrom)
        case .customerMessage(let b), .agentReply(let b), .note(let b):
            try c.encode(b, forKey: .body)
        case .reassigned(let a, let d, let r):
            try c.encode(a, forKey: .agent)
            try c.encode(d, forKey: .department)
            try c.encode(r, forKey: .reason)
        case .postponed(let u):
            try c.encode(u.isoUTC, forKey: .until)
        case .priorityChanged(let p):
            try c.encode(p.name, forKey: .priority)
        case .tagged(let a, let r):
            try c.encode(a, forKey: .added)
            try c.encode(r, forKey: .removed)
        case .abandoned(let r):
            try c.encode(r, forKey: .reason)
        case .presence(let a, let p):
            try c.encode(a, forKey: .agent)
            try c.encode(p.rawValue, forKey: .presence)
        case .intake(let r):
            try c.encode(r.key, forKey: .key)
            try c.encode(r.kind.name, forKey: .kind)
            try c.encode(r.summary, forKey: .summary)
            try c.encode(r.body, forKey: .body)
            try c.encode(r.aliases, forKey: .aliases)
        case .delivery(let id, let step):
            try c.encode(id, forKey: .messageID)
            try c.encode(step.name, forKey: .step)
            if case .queued(let to, let cc) = step {
                try c.encode(to, forKey: .to)
                if !cc.isEmpty { try c.encode(cc, forKey: .cc) }
            }
            if case .failed(let err) = step { try c.encode(err, forKey: .error) }
        case .selfService(let r):
            try c.encode(r.key, forKey: .key)
            try c.encode(r.user, forKey: .user)
            try c.encode(r.kind.rawValue, forKey: .kind)
            try c.encode(r.subject, forKey: .subject)
        case .attached(let files):
            try c.encode(files.map(AttachmentJSON.init), forKey: .files)
        case .ccChanged(let cc):
            try c.encode(cc, forKey: .cc)
        case .contactEdited(let edit):
            try c.encode(edit.key, forKey: .key)
            try c.encode(ContactJSON(key: edit.key, card: edit.card), forKey: .contact)
            try c.encode(edit.merged, forKey: .merged)
        case .customerUpdated(let customer):
            try c.encode(CustomerJSON(customer), forKey: .customer)
        case .automation(let rule, let mark):
            try c.encode(rule, forKey: .rule)
            switch mark {
            case .matched: try c.encode("matched", forKey: .mark)
            case .rearmed: try c.encode("rearmed", forKey: .mark)
            case .notified(let users):
                try c.encode("notified", forKey: .mark)
                try c.encode(users, forKey: .notified)
            }
        case .unknown(let t, let p):
            try c.encode(t, forKey: .typeCode)
            try c.encode(p.count, forKey: .payloadBytes)
        case .resolved, .reopened, .claimed:
            break
        }
    }
}
