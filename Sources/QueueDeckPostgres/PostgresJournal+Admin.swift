import NIOCore
import PostgresNIO
import QueueDeckDomain
import QueueDeckJournal

/// What administrators do to a PostgreSQL journal: bring history in (`log copy`), check it
/// (`log verify`) and realign its counter (`log repair`). The database refuses anyone else.
extension PostgresJournal {
    /// Events per `qdeck_import` call.
    static let importBatch = 2_000

    /// Copies history into this journal, which must hold no events: its UUID, birth and demo mark
    /// become the source's, and every event keeps its sequence number, version, time and actor.
    /// One transaction: a copy cut short or refused leaves the database as it was. `source` hands
    /// the events over in order; `files` then stores the files they name, in the same transaction.
    public func importHistory(uuid: [UInt8], created: Instant, demo: Bool, files: () throws(JournalError) -> Void,
                              _ source: ((StoredEvent) -> Void) throws(JournalError) -> Void) throws(JournalError) -> UInt64 {
        guard uuid.count == 16 else { throw .notAJournal(path: name, reason: "the source's UUID is not 16 bytes") }
        let text = Self.uuidText(uuid), createdMs = created.ms
        try link.run { c in try await PostgresLink.execute(c, "BEGIN") }
        let outcome = Result { () throws(JournalError) -> UInt64 in
            try link.run { c in try await PostgresLink.execute(c, "SELECT qdeck_adopt_identity(\(text), \(createdMs), \(demo))") }
            let count = try importAll(source)
            try files()
            try link.run { c in try await PostgresLink.execute(c, "COMMIT") }
            return count
        }
        switch outcome {
        case .success(let count):
            uuidAdopted(uuid, created: created, demo: demo)
            return count
        case .failure(let error):
            _ = try? link.run { c in try await PostgresLink.execute(c, "ROLLBACK") }
            if case .database(_, let reason) = error, reason.contains("QD003") {
                throw .refused(path: name, reason: "already holds events; a copy goes into an empty journal (a new database after qdeck db init)")
            }
            throw error
        }
    }

    /// Every event `source` hands over, in batches; the first failure stops the sending.
    private func importAll(_ source: ((StoredEvent) -> Void) throws(JournalError) -> Void) throws(JournalError) -> UInt64 {
        var batch: [StoredEvent] = []
        var failure: JournalError?
        var count: UInt64 = 0
        func send() {
            guard failure == nil, !batch.isEmpty else { return }
            do throws(JournalError) { try importRows(batch) } catch { failure = error }
            count += UInt64(batch.count)
            batch.removeAll(keepingCapacity: true)
        }
        try source { e in
            guard failure == nil else { return }
            batch.append(e)
            if batch.count >= Self.importBatch { send() }
        }
        send()
        if let failure { throw failure }
        return count
    }

    private func importRows(_ events: [StoredEvent]) throws(JournalError) {
        let seqs = events.map { Int64($0.seq) }, tickets = events.map(\.event.ticket.raw), versions = events.map { Int32($0.version) }
        let ats = events.map(\.event.at.ms), actors = events.map(\.event.actor)
        let types = events.map { Int16(EventCodec.typeCode($0.event.kind)) }
        let payloads = events.map { ByteBuffer(bytes: EventCodec.body(of: $0.event)) }
        try link.run { c in
            try await PostgresLink.execute(c, "SELECT qdeck_import(\(seqs), \(tickets), \(versions), \(ats), \(actors), \(types), \(payloads))")
        }
    }

    /// The UUID as text; "(none yet)" for a prepared desk nobody has written to.
    static func uuidText(_ b: [UInt8]) -> String {
        guard b.count == 16 else { return "(none yet)" }
        let hex = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let p = Array(hex)
        return [p[0..<8], p[8..<12], p[12..<16], p[16..<20], p[20..<32]].map { String($0) }.joined(separator: "-")
    }

    /// What `log verify` reports about the database's own bookkeeping.
    public struct Bookkeeping: Sendable {
        public var events: Int64
        public var lastSeq: Int64
        public var counter: Int64
        public var uuid: String
    }

    public func bookkeeping() throws(JournalError) -> Bookkeeping {
        let uuid = Self.uuidText(self.uuid)
        return try link.run(retry: true) { c in
            var b = Bookkeeping(events: 0, lastSeq: 0, counter: 0, uuid: uuid)
            let q: PostgresQuery = "SELECT count(*), coalesce(max(seq), 0), (SELECT last FROM qdeck_head) FROM qdeck_events"
            for try await (n, top, counter) in try await c.query(q, logger: PostgresLink.logger).decode((Int64, Int64, Int64).self) {
                b.events = n
                b.lastSeq = top
                b.counter = counter
            }
            return b
        }
    }

    /// Realigns the counter with the events (administrators only): what was fixed, one line each.
    public func repair() throws(JournalError) -> [String] {
        try link.run { c in
            var lines: [String] = []
            for try await (line,) in try await c.query("SELECT qdeck_repair()", logger: PostgresLink.logger).decode(String.self) { lines.append(line) }
            return lines
        }
    }
}
