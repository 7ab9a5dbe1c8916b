import QueueDeckDomain

/// How a desk was loaded: from which snapshot, how many journal events were replayed after it,
/// and the snapshots passed over and why.
public struct DeskLoad {
    public var state: DeskState
    public var snapshot: SnapshotFile.Found?
    public var replayedEvents: Int
    public var passedOver: [SnapshotError]

    public init(state: DeskState, snapshot: SnapshotFile.Found?, replayedEvents: Int, passedOver: [SnapshotError]) {
        self.state = state
        self.snapshot = snapshot
        self.replayedEvents = replayedEvents
        self.passedOver = passedOver
    }
}

/// A journal whose desk is saved in snapshot files (SnapshotFile): where they are kept, and how
/// a snapshot's place in the journal is checked. The file journal keeps them beside itself; the
/// PostgreSQL journal in this user's own folder on this host, named after the database server.
public protocol SnapshotSite: DeskJournal {
    /// The snapshot files are `<snapshotBase>.snapshot-SEQ`.
    var snapshotBase: String { get }
    /// Whether `p` is a place in this journal holding what it held when the snapshot was taken.
    func holds(_ p: JournalPosition) -> Bool
}

/// Startup: the newest snapshot that matches the journal, then the journal's tail after it.
/// A snapshot that does not match or does not verify is passed over, never trusted: the
/// fallback is a full replay, never a wrong state.
public enum DeskLoader {
    /// Starts `journal` reading after `position`, where `state` was folded (a snapshot, or another
    /// open of the same journal): the versions before it come from the state's tickets.
    public static func resume(_ journal: FileJournal, at position: JournalPosition, state: DeskState) -> Bool {
        journal.resume(at: position, versions: marks(of: state))
    }

    /// Each ticket's version as `state` holds it (a journal resumed there checks versions from it).
    public static func marks(of state: DeskState) -> (TicketID) -> Mark? {
        { id in
            if id == .desk { return state.deskVersion == 0 ? nil : Mark(version: state.deskVersion, actor: "", at: Instant(ms: 0)) }
            return state[id].map { Mark(version: $0.version, actor: $0.lastActor, at: $0.updatedAt) }
        }
    }

    public static func load(_ journal: some SnapshotSite, autoCloseAfter: Millis, useSnapshots: Bool = true) throws(JournalError) -> DeskLoad {
        var passedOver: [SnapshotError] = []
        var restored: DeskState?
        var used: SnapshotFile.Found?
        if useSnapshots {
            for found in SnapshotFile.list(journal: journal.snapshotBase) {
                do throws(SnapshotError) {
                    let (header, state) = try verified(found, journal: journal, autoCloseAfter: autoCloseAfter)
                    guard journal.resume(at: header.position, state: state) else {
                        throw .mismatch(path: found.path, reason: "the journal moved while it was read")
                    }
                    restored = state
                    used = found
                    break
                } catch {
                    passedOver.append(error)
                }
            }
        }
        var state = restored ?? DeskState(autoCloseAfter: autoCloseAfter)
        var replayed = 0
        try journal.readNew { e in
            state.apply(e)
            replayed += 1
        }
        return DeskLoad(state: state, snapshot: used, replayedEvents: replayed, passedOver: passedOver)
    }

    /// Why a load would pass this snapshot over, or nil if it would use it (`qdeck log verify`).
    public static func problem(with found: SnapshotFile.Found, journal: some SnapshotSite, autoCloseAfter: Millis) -> SnapshotError? {
        do throws(SnapshotError) {
            _ = try verified(found, journal: journal, autoCloseAfter: autoCloseAfter)
            return nil
        } catch {
            return error
        }
    }

    /// The snapshot's desk if it is for this journal (UUID and a record at its position), this
    /// build and this auto-close period, and its checksums and decode hold. Cheap checks first.
    static func verified(_ found: SnapshotFile.Found, journal: some SnapshotSite, autoCloseAfter: Millis) throws(SnapshotError) -> (SnapshotFile.Header, DeskState) {
        let h = try SnapshotFile.readHeader(found.path)
        try matches(h, path: found.path, journal: journal, autoCloseAfter: autoCloseAfter)
        return (h, try SnapshotFile.readState(found.path, header: h))
    }

    static func matches(_ h: SnapshotFile.Header, path: String, journal: some SnapshotSite, autoCloseAfter: Millis) throws(SnapshotError) {
        guard h.build == BuildIdentity.current else { throw .mismatch(path: path, reason: "written by another qdeck build") }
        guard h.position.uuid == journal.uuid else { throw .mismatch(path: path, reason: "written for another journal (UUID differs)") }
        guard h.autoCloseAfter == autoCloseAfter else { throw .mismatch(path: path, reason: "the auto-close period has changed since") }
        guard journal.holds(h.position) else {
            throw .mismatch(path: path, reason: "the journal has no record \(h.position.seq) ending at byte \(h.position.offset) with the same content")
        }
    }
}
