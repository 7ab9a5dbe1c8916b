import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// What the console works on: the journal, the rules, the acting agent and the folded state.
public final class ConsoleDesk {
    public let journal: any DeskJournal
    public let rules: DeskRules
    public let actor: Agent
    public private(set) var state: DeskState
    /// The clock; replaced in tests and benchmarks.
    public var clock: () -> Instant
    public var cannedResponses: [CannedResponse] { rules.cannedResponses }
    /// Email replies this console queued, handed over (with the desk as it is then, and where the
    /// journal was read to) once they are folded in: the executable gives them to the mail system
    /// without loading the desk a second time.
    public var handOver: ((_ replies: Set<String>, _ state: DeskState, _ position: JournalPosition?) -> Void)?
    private var queuedReplies: Set<String> = []
    /// Problems met off the key loop (a hand-over that could not start), said on the next absorb.
    public let notices = NoticeBoard()
    /// Writes a snapshot in the background as events accumulate (the console runs for hours).
    public var snapshots: (any SnapshotKeeping)?
    /// Where this agent's unsent replies and notes are kept (nil: not kept, as in some tests).
    public var drafts: DraftStore?

    public init(journal: any DeskJournal, rules: DeskRules, actor: Agent, state: DeskState,
                clock: @escaping () -> Instant) {
        self.journal = journal
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
        if !queuedReplies.isEmpty {
            handOver?(queuedReplies, state, journal.position)
            queuedReplies = []
        }
        return (events, before)
    }

    /// Decides a command as the acting agent and appends it, refused if the ticket moved past the
    /// version the agent saw.
    public func perform(_ command: Command, sawVersion: UInt32?) throws -> [StoredEvent] {
        let ctx = CommandContext(actor: actor, now: clock(), rules: rules, newTicketID: Fresh.ticketID)
        var d = Automation.follow(try Commands.decide(command, state: state, context: ctx), state: state, rules: rules, now: ctx.now)
        if let v = sawVersion, let id = command.ticket { d.expectedVersions[id] = v }
        let stored = try journal.append(d.events, expecting: d.expectedVersions)
        for e in stored { if case .delivery(let id, .queued) = e.event.kind { queuedReplies.insert(id) } }
        return stored
    }

}

/// Lines for the console's flash line, posted from any thread and taken on the key loop.
public final class NoticeBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    public func post(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    func take() -> [String] {
        lock.lock()
        defer { lines = []; lock.unlock() }
        return lines
    }
}
