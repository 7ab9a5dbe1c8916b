import QueueDeckDomain
import QueueDeckJournal

/// What the console works on: the journal, the rules, the acting agent and the folded state.
public final class ConsoleDesk {
    public let journal: any EventJournal
    public let journalPath: String
    public let rules: DeskRules
    public let actor: Agent
    public private(set) var state: DeskState
    /// The clock; replaced in tests and benchmarks.
    public var clock: () -> Instant
    public var cannedResponses: [CannedResponse] { rules.cannedResponses }
    /// Called with what each action stored (the executable hands email replies to the mail system).
    public var afterAppend: (([StoredEvent]) -> Void)?
    /// Writes a snapshot in the background as events accumulate (the console runs for hours).
    public var snapshots: SnapshotKeeper?
    /// Where this agent's unsent replies and notes are kept (nil: not kept, as in some tests).
    public var drafts: DraftStore?

    public init(journal: any EventJournal, journalPath: String, rules: DeskRules, actor: Agent, state: DeskState,
                clock: @escaping () -> Instant) {
        self.journal = journal
        self.journalPath = journalPath
        self.rules = rules
        self.actor = actor
        self.state = state
        self.clock = clock
    }

    /// Folds in what anyone appended since; returns the events and the touched tickets as they were.
    public func absorb() throws -> (events: [StoredEvent], before: [TicketID: Ticket]) {
        let events = try journal.readNew()
        var before: [TicketID: Ticket] = [:]
        for e in events where before[e.event.ticket] == nil { before[e.event.ticket] = state[e.event.ticket] }
        state.apply(events)
        snapshots?.consider(state)
        return (events, before)
    }

    /// Decides a command as the acting agent and appends it, refused if the ticket moved past the
    /// version the agent saw.
    public func perform(_ command: Command, sawVersion: UInt32?) throws -> [StoredEvent] {
        let ctx = CommandContext(actor: actor, now: clock(), rules: rules, newTicketID: {
            var g = SystemRandomNumberGenerator()
            return TicketID.random(using: &g)
        })
        var d = try Commands.decide(command, state: state, context: ctx)
        if let v = sawVersion, let id = command.ticket { d.expectedVersions[id] = v }
        let stored = try journal.append(d.events, expecting: d.expectedVersions)
        afterAppend?(stored)
        return stored
    }
}
