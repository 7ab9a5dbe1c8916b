import Foundation
import NIOCore
import PostgresNIO
import QueueDeckDomain
import QueueDeckJournal

/// The journal in PostgreSQL (docs/POSTGRES.md): the same promises as the file, kept by the
/// database. Appends go through `qdeck_append`, which takes the counter row to commit (a gapless
/// sequence in commit order), checks the expected versions first, sets the actor from the login
/// and refuses what the login's group may not write. Reads take rows after the last sequence read.
public final class PostgresJournal: SnapshotSite, @unchecked Sendable {
    public let address: PostgresAddress
    public let writable: Bool
    let link: PostgresLink
    public private(set) var isDemo = false
    public private(set) var created: Instant?
    /// The journal's UUID (16 bytes): what positions and copies are bound to.
    public private(set) var uuid: [UInt8] = []
    public var lockTimeoutSeconds: Double = 10
    /// The login the database knows this process as, its roster entry and qdeck group.
    public private(set) var identity = DatabaseIdentity(login: "", name: nil, deskRole: nil, group: .none)
    public var databaseIdentity: DatabaseIdentity? { identity }
    private var lastSeq: UInt64 = 0
    /// The content of the last row read (bound into positions, as the file binds a record's CRC):
    /// the row, checksummed only when a position is asked for, not for each of a million.
    private var lastRow: Row?
    private var resumedFingerprint: UInt32 = 0
    private var marks: [TicketID: Mark] = [:]
    private var resumedMarks: ((TicketID) -> Mark?)?
    private lazy var store = PostgresBlobStore(link: link)
    /// Whether a read could find anything new (PostgresFollower.swift).
    private let hints = ReadHints()

    /// Rows fetched per round trip while reading: a million-event replay never holds them all.
    static let batch = 20_000

    /// Where this host keeps the journal's snapshots (nil: none): in this user's own folder, not in
    /// the database, because a snapshot cannot be checked against the events without replaying
    /// them, and one written by another login would have to be trusted (docs/POSTGRES.md).
    let localBase: String?
    /// The server's system identifier: a snapshot is kept per server, so one taken from a restored
    /// or different server is never even looked at.
    private var systemIdentifier: String?

    /// A database with the schema but no journal yet (nobody has written) opens as an empty desk;
    /// `create` gives it its identity when the login may write. `localBase`: this host's file name for the journal's snapshots (nil: none kept).
    public init(address: PostgresAddress, create: Bool = false, writable: Bool = true, demo: Bool = false,
                localBase: String? = nil) throws(JournalError) {
        self.address = address
        self.localBase = localBase
        self.writable = writable || create
        link = PostgresLink(address)
        let identity: Identity
        do {
            identity = try link.run(retry: true) { c in try await Self.identity(c, create: create, demo: demo) }
        } catch .denied(let name, let reason) where reason.hasPrefix("permission denied for table") {
            // Reading is every qdeck group's: a login that may not is on none of this desk's.
            throw .denied(name: name, reason: "\(address.user) is in no qdeck group here, so may not read this desk (qdeck db sync-roster puts the roster's agents in one)")
        }
        guard identity.schema == Schema.version else {
            if identity.schema == 0 { throw .missing(path: address.shown) }
            throw .notAJournal(path: address.shown, reason: "its schema is version \(identity.schema), this qdeck's is \(Schema.version) (qdeck db init upgrades an older one)")
        }
        self.identity = identity.who
        systemIdentifier = identity.systemIdentifier
        let group = identity.who.group
        link.whoIs = "\(identity.who.login) is in " + (group.roleName ?? "no qdeck group") + Self.groupPowers(group)
        // In some qdeck group of the server, but not on this desk: nothing here is theirs to read.
        if group == .none {
            throw .denied(name: address.shown, reason: "\(identity.who.login) is not on this desk's roster (qdeck db sync-roster adds the team file's agents)")
        }
        // The schema without a journal yet (db init done, nobody has written): an empty desk.
        guard let meta = identity.meta else { return }
        uuid = Self.uuidBytes(meta.uuid)
        created = Instant(ms: meta.created)
        isDemo = meta.demo
    }

    /// What a group may never do, as the schema's functions enforce it (docs/POSTGRES.md).
    static func groupPowers(_ group: DatabaseIdentity.Group) -> String {
        switch group {
        case .viewer: ", which reads only"
        case .intake: ", which writes what intake brings"
        case .agent, .supervisor: ", which may not repair or import history"
        case .admin: ""
        case .none: "; qdeck db sync-roster puts each roster agent in one"
        }
    }

    public var name: String { address.shown }

    /// After a copy: the identity the journal took from its source.
    func uuidAdopted(_ uuid: [UInt8], created: Instant, demo: Bool) {
        self.uuid = uuid
        self.created = created
        isDemo = demo
    }

    private struct Identity: Sendable {
        var schema: Int
        var who = DatabaseIdentity(login: "", name: nil, deskRole: nil, group: .none)
        var meta: (uuid: String, created: Int64, demo: Bool)?
        var systemIdentifier: String?
    }

    private static func identity(_ c: PostgresConnection, create: Bool, demo: Bool) async throws -> Identity {
        var schema = 0
        for try await (exists,) in try await c.query("SELECT to_regclass('qdeck_meta') IS NOT NULL", logger: PostgresLink.logger).decode(Bool.self) where exists {
            for try await (value,) in try await c.query("SELECT value FROM qdeck_meta WHERE key = 'schema'", logger: PostgresLink.logger).decode(String.self) {
                schema = Int(value) ?? 0
            }
        }
        var identity = Identity(schema: schema)
        guard schema == Schema.version else { return identity }
        let caller: PostgresQuery = """
            SELECT c.login, c.grp, r.agent, r.desk_role, r.permissions FROM qdeck_caller() c LEFT JOIN qdeck_roster r ON r.role_name = c.login
            """
        for try await (login, group, name, deskRole, permissions) in try await c.query(caller, logger: PostgresLink.logger)
            .decode((String, String, String?, String?, [String]?).self) {
            identity.who = DatabaseIdentity(login: login, name: name, deskRole: deskRole, permissions: permissions,
                                            group: DatabaseIdentity.Group(rawValue: group) ?? .none)
        }
        // A login that may not write finds the desk as it is (empty until someone makes it).
        if create && ![.viewer, .none].contains(identity.who.group) { try await PostgresLink.execute(c, "SELECT qdeck_create_journal(\(demo))") }
        // Readable by any login on the servers seen; a server that hides it keeps no snapshots here.
        if let rows = try? await c.query("SELECT system_identifier::text FROM pg_control_system()", logger: PostgresLink.logger).decode(String.self) {
            for try await (id,) in rows { identity.systemIdentifier = id }
        }
        var meta: [String: String] = [:]
        for try await (key, value) in try await c.query("SELECT key, value FROM qdeck_meta", logger: PostgresLink.logger).decode((String, String).self) {
            meta[key] = value
        }
        if let uuid = meta["uuid"] {
            identity.meta = (uuid, Int64(meta["created"] ?? "") ?? 0, meta["demo"] == "true")
        }
        return identity
    }

    static func uuidBytes(_ text: String) -> [UInt8] {
        let hex = Array(text.lowercased().utf8.filter { $0 != UInt8(ascii: "-") })
        guard hex.count == 32 else { return [] }
        return stride(from: 0, to: 32, by: 2).compactMap { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }

    // MARK: Reading

    public func readNew() throws(JournalError) -> [StoredEvent] {
        var out: [StoredEvent] = []
        try readNew { out.append($0) }
        return out
    }

    public func readNew(_ each: (StoredEvent) -> Void) throws(JournalError) {
        guard hints.take() else { return }
        // A read that fails is tried again next time, not only at the next wake-up.
        var caughtUp = false
        defer { if !caughtUp { hints.mark() } }
        while true {
            let rows = try fetch(after: lastSeq, limit: Self.batch)
            for row in rows {
                guard row.seq == lastSeq + 1 else {
                    throw .database(name: name, reason: "the journal has no event \(lastSeq + 1) but has \(row.seq) (run qdeck log verify)")
                }
                let e = row.stored()
                if writable { marks[e.event.ticket] = Mark(version: e.version, actor: e.event.actor, at: e.event.at) }
                lastSeq = row.seq
                lastRow = row
                each(e)
            }
            if rows.count < Self.batch {
                caughtUp = true
                return
            }
        }
    }

    /// One stored row as read: decoded when handed out.
    struct Row: Sendable {
        var seq: UInt64
        var ticket: TicketID
        var version: UInt32
        var at: Int64
        var actor: String
        var type: UInt8
        var payload: ByteBuffer

        func stored() -> StoredEvent {
            let event = payload.withUnsafeReadableBytes {
                EventCodec.decode(type: type, ticket: ticket, at: Instant(ms: at), actor: actor, body: $0)
            }
            return StoredEvent(seq: seq, version: version, event: event)
        }

        /// The row's content as one number: CRC-32C over its fields as they are stored.
        var fingerprint: UInt32 {
            var w = [UInt8]()
            w += ticket.rawBytes
            withUnsafeBytes(of: version.littleEndian) { w += $0 }
            withUnsafeBytes(of: at.littleEndian) { w += $0 }
            w += Array(actor.utf8) + [0, type]
            payload.withUnsafeReadableBytes { w += $0 }
            return CRC32C.checksum(w)
        }
    }

    /// Rows after `seq`, at most `limit`. The server packs them into one value (each row's fields
    /// in a fixed binary layout, as the file frames records), so a replay decodes one column per
    /// batch rather than seven per event: per-row decoding through the client made a replay from
    /// the database 4.6 times the file's (docs/PERFORMANCE.md).
    func fetch(after seq: UInt64, limit: Int) throws(JournalError) -> [Row] {
        let packed = try link.run(retry: true) { c in
            var out = ByteBuffer()
            let query: PostgresQuery = """
                SELECT coalesce(string_agg(int8send(seq) || int4send(version) || int8send(at) || int2send(type) || convert_to(ticket, 'UTF8')
                    || int4send(octet_length(convert_to(actor, 'UTF8'))) || convert_to(actor, 'UTF8') || int4send(length(payload)) || payload,
                    ''::bytea ORDER BY seq), ''::bytea)
                FROM (SELECT * FROM qdeck_events WHERE seq > \(Int64(seq)) ORDER BY seq LIMIT \(limit)) e
                """
            for try await (bytes,) in try await c.query(query, logger: PostgresLink.logger).decode(ByteBuffer.self) { out = bytes }
            return out
        }
        return try Self.unpack(packed, name: name)
    }

    /// The rows of a packed batch: seq (8 bytes), version (4), at (8), type (2), the ticket (11),
    /// the actor and the payload each after a 4-byte length; integers big-endian, as PostgreSQL
    /// sends them.
    static func unpack(_ packed: ByteBuffer, name: String) throws(JournalError) -> [Row] {
        var b = packed
        var rows: [Row] = []
        while b.readableBytes > 0 {
            guard let seq = b.readInteger(as: Int64.self), let version = b.readInteger(as: Int32.self), let at = b.readInteger(as: Int64.self),
                  let type = b.readInteger(as: Int16.self), let ticketBytes = b.readSlice(length: 11),
                  let actorLength = b.readInteger(as: Int32.self), actorLength >= 0, let actor = b.readString(length: Int(actorLength)),
                  let payloadLength = b.readInteger(as: Int32.self), payloadLength >= 0, let payload = b.readSlice(length: Int(payloadLength)) else {
                throw .database(name: name, reason: "a batch of events read back cut short after \(rows.count) events")
            }
            let id = ticketBytes.withUnsafeReadableBytes { TicketID(rawBytes: $0) }
            guard let id, seq > 0, version > 0, (0...255).contains(type) else {
                throw .database(name: name, reason: "event \(seq) does not decode (version \(version), type \(type))")
            }
            rows.append(Row(seq: UInt64(seq), ticket: id, version: UInt32(version), at: at, actor: actor, type: UInt8(type), payload: payload))
        }
        return rows
    }

    public func version(of ticket: TicketID) -> UInt32 { (marks[ticket] ?? resumedMarks?(ticket))?.version ?? 0 }

    public var position: JournalPosition? {
        guard lastSeq > 0, uuid.count == 16 else { return nil }
        return JournalPosition(uuid: uuid, seq: lastSeq, offset: Int64(lastSeq), lastRecordOffset: Int64(lastSeq) - 1, recordCRC: lastRow?.fingerprint ?? resumedFingerprint)
    }

    /// Whether `p` is a place in this journal: the same UUID, and event `p.seq` the one it was.
    public func holds(_ p: JournalPosition) -> Bool {
        guard p.uuid == uuid, p.seq > 0, p.offset == Int64(p.seq),
              let rows = try? fetch(after: p.seq - 1, limit: 1), let row = rows.first, row.seq == p.seq else { return false }
        return row.fingerprint == p.recordCRC
    }

    public func resume(at position: JournalPosition, state: DeskState) -> Bool {
        guard lastSeq == 0, holds(position) else { return false }
        lastSeq = position.seq
        lastRow = nil
        resumedFingerprint = position.recordCRC
        if writable { resumedMarks = DeskLoader.marks(of: state) }
        return true
    }

    public var snapshotBase: String {
        guard let localBase, let systemIdentifier else { return "" }
        return "\(localBase).server-\(systemIdentifier)"
    }

    public func loadDesk(autoCloseAfter: Millis, useSnapshots: Bool) throws(JournalError) -> DeskLoad {
        try DeskLoader.load(self, autoCloseAfter: autoCloseAfter, useSnapshots: useSnapshots && !snapshotBase.isEmpty)
    }

    public func snapshotKeeper(every: Int, coveredSeq: UInt64) -> (any SnapshotKeeping)? {
        snapshotBase.isEmpty ? nil : SnapshotKeeper(journal: self, every: every, coveredSeq: coveredSeq)
    }

    // MARK: Appending

    @discardableResult
    public func append(_ events: [Event], expecting: [TicketID: UInt32]) throws(JournalError) -> [StoredEvent] {
        guard writable else { throw .cannotOpen(path: name, errno: EBADF) }
        guard !events.isEmpty else { return [] }
        // Stored or refused as stale, there is something to read next.
        defer { hints.mark() }
        let expected = expecting.sorted { $0.key < $1.key }
        let bodies = events.map { EventCodec.body(of: $0) }
        for b in bodies where b.count > Layout.maxPayload {
            throw .eventTooLarge(path: name, bytes: b.count, limit: Layout.maxPayload)
        }
        let expectTickets = expected.map { $0.key.raw }, expectVersions = expected.map { Int32($0.value) }
        let tickets = events.map(\.ticket.raw), ats = events.map(\.at.ms), actors = events.map(\.actor)
        let types = events.map { Int16(EventCodec.typeCode($0.kind)) }
        let payloads = bodies.map { ByteBuffer(bytes: $0) }
        let rows: [(Int64, Int32, String)]
        do {
            rows = try link.run { c in
                var out: [(Int64, Int32, String)] = []
                let q: PostgresQuery = """
                    SELECT stored_seq, stored_version, stored_actor FROM qdeck_append(\(expectTickets), \(expectVersions), \(tickets), \(ats),
                        \(actors), \(types), \(payloads))
                    """
                for try await row in try await c.query(q, logger: PostgresLink.logger).decode((Int64, Int32, String).self) { out.append(row) }
                return out
            }
        } catch .stale(let ticket, _, let actual, let by, let at) {
            throw .stale(ticket: ticket, expected: expecting[ticket] ?? 0, actual: actual, by: by, at: at)
        }
        guard rows.count == events.count else {
            throw .database(name: name, reason: "the database stored \(rows.count) of \(events.count) events")
        }
        return zip(events, rows).map { e, row in
            var event = e
            event.actor = row.2
            return StoredEvent(seq: UInt64(row.0), version: UInt32(row.1), event: event)
        }
    }

    // MARK: Around the events

    public func withIntakeLock<T>(timeoutSeconds: Double, _ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let taken = try link.run(retry: true) { c in
                var got = false
                for try await (ok,) in try await c.query("SELECT pg_try_advisory_lock(\(Schema.lockClass), \(Schema.intakeLock))", logger: PostgresLink.logger).decode(Bool.self) { got = ok }
                return got
            }
            if taken { break }
            if Date() >= deadline { throw .lockTimeout(path: name, seconds: timeoutSeconds) }
            usleep(50_000)
        }
        defer {
            _ = try? link.run { c in try await PostgresLink.execute(c, "SELECT pg_advisory_unlock(\(Schema.lockClass), \(Schema.intakeLock))") }
        }
        return try body()
    }

    /// A shared advisory lock held by this session until the lease is dropped.
    public func holdOutbox() throws(JournalError) -> JournalLease {
        try link.run(retry: true) { c in try await PostgresLink.execute(c, "SELECT pg_advisory_lock_shared(\(Schema.lockClass), \(Schema.outboxLock))") }
        let link = self.link
        return JournalLease(inheritable: nil) {
            _ = try? link.run { c in try await PostgresLink.execute(c, "SELECT pg_advisory_unlock_shared(\(Schema.lockClass), \(Schema.outboxLock))") }
        }
    }

    /// A session advisory lock. The server drops it with the connection: after an outage a second
    /// runner may take it while the first carries on; both then append against the ticket
    /// versions they read, so one of two assignments of a ticket is refused as stale, never both kept.
    public func tryHoldAutomation() throws(JournalError) -> JournalLease? {
        let got = try link.run(retry: true) { c in
            var held = false
            for try await (h,) in try await c.query("SELECT pg_try_advisory_lock(\(Schema.lockClass), \(Schema.automationLock))", logger: PostgresLink.logger).decode(Bool.self) { held = h }
            return held
        }
        guard got else { return nil }
        let link = self.link
        return JournalLease(inheritable: nil) {
            _ = try? link.run { c in try await PostgresLink.execute(c, "SELECT pg_advisory_unlock(\(Schema.lockClass), \(Schema.automationLock))") }
        }
    }

    public var handOverRunning: Bool {
        (try? link.run(retry: true) { c in
            var held = false
            let q: PostgresQuery = """
                SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                    WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted
                    AND l.classid = \(Int64(Schema.lockClass)) AND l.objid = \(Int64(Schema.outboxLock)) AND l.objsubid = 2)
                """
            for try await (h,) in try await c.query(q, logger: PostgresLink.logger).decode(Bool.self) { held = h }
            return held
        }) ?? false
    }

    public func follower() -> any JournalFollower { PostgresFollower(address: address, hints: hints) }

    public var blobs: any BlobStore { store }
}
