import QueueDeckDomain
import QueueDeckJournal

/// The journal as intake writes it. Intake processes (mail deliveries, importers, followers)
/// hold the journal's intake lock around read–decide–append, so a duplicate delivery racing the
/// first is seen as a duplicate; agents' appends are guarded by ticket versions as usual.
public final class IntakeDesk {
    public let journal: any DeskJournal
    public private(set) var state: DeskState
    public var rules: DeskRules
    public var lockTimeoutSeconds: Double = 10
    public var newID: () -> TicketID = Fresh.ticketID
    /// Live deliveries, or history brought in (an import): routed by the rules alike, never
    /// answered automatically.
    public var source: Automation.Source = .live

    /// Writes snapshots as deliveries accumulate (an importer, a follower running all night).
    public var snapshots: (any SnapshotKeeping)?

    /// Loads the desk from the newest snapshot and the journal after it (a mail delivery is one
    /// short process: it must not replay a year of history).
    public convenience init(journal: any DeskJournal, rules: DeskRules) throws(JournalError) {
        let load = try journal.loadDesk(autoCloseAfter: rules.autoCloseAfter, useSnapshots: true)
        self.init(journal: journal, rules: rules, state: load.state)
        snapshotSeq = load.snapshot?.seq ?? 0
    }

    /// The desk as another open of the same journal has it (the console's, at its position):
    /// nothing replayed when the journal still holds that place; else loaded as usual.
    public convenience init(journal: any DeskJournal, rules: DeskRules, state: DeskState, at position: JournalPosition?) throws(JournalError) {
        if let position, journal.resume(at: position, state: state) {
            self.init(journal: journal, rules: rules, state: state)
        } else {
            try self.init(journal: journal, rules: rules)
        }
    }

    /// The sequence of the snapshot the desk was loaded from (0: none, or given a state).
    public private(set) var snapshotSeq: UInt64 = 0

    /// With a desk already folded from this journal (a command that has just read it): no second replay.
    public init(journal: any DeskJournal, rules: DeskRules, state: DeskState) {
        self.journal = journal
        self.rules = rules
        self.state = state
    }

    /// Decides against the current journal and appends, under the intake lock. A stale ticket
    /// (an agent changed it meanwhile) is re-read and decided again.
    @discardableResult
    public func ingest(_ decide: (DeskState, () -> TicketID) -> IntakeOutcome) throws(JournalError) -> IntakeOutcome {
        try withIntakeLock { () throws(JournalError) -> IntakeOutcome in
            for _ in 0..<8 {
                state.apply(try journal.readNew())
                let outcome = withRules(decide(state, newID), on: state)
                guard !outcome.decision.events.isEmpty else { return outcome }
                do throws(JournalError) {
                    try journal.append(outcome.decision.events, expecting: outcome.decision.expectedVersions)
                    state.apply(try journal.readNew())
                    snapshots?.consider(state)
                    return outcome
                } catch .stale {
                    continue
                }
            }
            throw .lockTimeout(path: journal.name, seconds: lockTimeoutSeconds)
        }
    }

    /// Many deliveries in group commits: each is decided against the desk including the ones
    /// before it in the batch, then the batch is one write and one fdatasync.
    public func ingestBatch<Item>(_ items: [Item], batchSize: Int = 512,
                                  decide: (Item, DeskState, () -> TicketID) -> IntakeOutcome,
                                  progress: (Int, IntakeOutcome) -> Void) throws(JournalError) {
        var start = 0
        while start < items.count {
            let slice = items[start..<min(start + batchSize, items.count)]
            try withIntakeLock { () throws(JournalError) in
                for attempt in 0..<8 {
                    state.apply(try journal.readNew())
                    var scratch = state
                    var events: [Event] = []
                    var expected: [TicketID: UInt32] = [:]
                    var outcomes: [IntakeOutcome] = []
                    for item in slice {
                        let o = withRules(decide(item, scratch, newID), on: scratch)
                        outcomes.append(o)
                        // Expect each ticket as it stood before the batch (0 for tickets the batch creates).
                        for t in o.decision.expectedVersions.keys where expected[t] == nil { expected[t] = state[t]?.version ?? 0 }
                        for e in o.decision.events {
                            let v = e.ticket == .desk ? 0 : (scratch[e.ticket]?.version ?? 0) + 1
                            scratch.apply(StoredEvent(seq: 0, version: v, event: e))
                        }
                        events += o.decision.events
                    }
                    do throws(JournalError) {
                        try journal.append(events, expecting: expected)
                    } catch .stale where attempt < 7 {
                        continue
                    }
                    state.apply(try journal.readNew())
                    snapshots?.consider(state)
                    for (n, o) in outcomes.enumerated() { progress(start + n, o) }
                    return
                }
            }
            start += slice.count
        }
    }

    /// The outcome with the rules' events in the same batch, at the time of the delivery's own.
    private func withRules(_ o: IntakeOutcome, on state: DeskState) -> IntakeOutcome {
        guard let at = o.decision.events.first?.at else { return o }
        var out = o
        out.decision = Automation.follow(o.decision, state: state, rules: rules, now: at, source: source)
        return out
    }

    /// Appends events that need no decision against intake keys (outbox steps), under no lock.
    @discardableResult
    public func append(_ d: Decision) throws(JournalError) -> [StoredEvent] {
        let stored = try journal.append(d.events, expecting: d.expectedVersions)
        state.apply(try journal.readNew())
        return stored
    }

    public func refresh() throws(JournalError) { state.apply(try journal.readNew()) }

    func withIntakeLock<T>(_ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        try journal.withIntakeLock(timeoutSeconds: lockTimeoutSeconds, body)
    }
}
